"""Every change to accounts, tokens and the audit log."""

import logging
import secrets

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import hooks, tokens
from accounts.app_settings import app_settings
from accounts.models import ApiToken, AuditEvent, User
from config import errors
from config.context import current_context
from config.errors import Conflict, InvalidInput, NotFound
from config.log import redact_mapping

logger = logging.getLogger(__name__)

AUTH_DISABLED_EMAIL = "dev@local.test"  # guard: allow-stand-in-identity — its home
DEV_ACCOUNT_CREATED = "dev_account.created"
# Recording every use would write on every API call; once a minute is enough.
TOKEN_LAST_USED_RESOLUTION_SECONDS = 60


# --- Audit --------------------------------------------------------------------------


_FROM_CONTEXT = object()


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    org_id=_FROM_CONTEXT,
    target=None,
    metadata: dict | None = None,
) -> AuditEvent:
    """Write one audit event. Secret-looking metadata values are redacted.

    Who (unless `actor` says), which org (unless `org_id` says), the caller kind,
    request id, client address and user agent come from the current call's Context
    (`config.context`), which its entrance set.
    """
    ctx = current_context()
    if actor is None:
        actor = ctx.user
    if org_id is _FROM_CONTEXT:
        org_id = ctx.org_id
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        org_id=org_id,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        metadata=_storable(redact_mapping(metadata or {})),
        caller=ctx.caller,
        request_id=ctx.request_id[:64],
        ip=ctx.ip,
        user_agent=ctx.user_agent,
    )


def _storable(value):
    """JSON that every database stores: PostgreSQL's jsonb refuses NUL characters."""
    if isinstance(value, dict):
        return {_storable(str(k)): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    return value


def client_ip(request) -> str | None:
    """The address the request came from, as allauth's trusted-proxy settings say."""
    if request is None:
        return None
    try:
        # allauth's adapter honours ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER.
        return get_account_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None


# --- Personal API tokens ------------------------------------------------------------


def api_token_create(*, user: User, name: str, org_id=None) -> tuple[ApiToken, str]:
    """Create a token; return it and its secret, which is never available again.

    With `org_id` (one of the user's orgs) the token acts only in that org.
    """
    name = name.strip()
    if not name:
        raise InvalidInput(fields={"name": ["Give the token a name."]})
    if org_id is not None and not user.memberships.filter(org_id=org_id).exists():
        raise InvalidInput(fields={"org": ["Choose one of your organizations."]})
    new = tokens.generate()
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user,
                name=name,
                bound_org_id=org_id,
                key_id=new.key_id,
                digest=new.digest,
            )
    except IntegrityError:
        raise Conflict(
            f"You already have an active token named “{name}”.",
            fields={"name": ["An active token has this name."]},
        ) from None
    audit_record(
        action="api_token.created",
        actor=user,
        target=token,
        metadata={
            "name": name,
            "key_id": new.key_id,
            "org_id": str(org_id) if org_id else None,
        },
    )
    return token, new.secret


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens. Another user's token is not found."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="api_token.revoked",
            actor=user,
            target=token,
            metadata={"name": token.name, "key_id": token.key_id},
        )
    return token


def api_token_authenticate(raw: str, *, lookup=None) -> ApiToken | None:
    """The personal token `raw` is, with its (active) user, if it is valid and not
    revoked. `lookup(key_id)` finds the live token with its user; a caller may bring
    one that loads more in the same query (the orgs app adds the membership)."""
    key_id = tokens.key_id_of(raw)
    if key_id is None:
        return None
    token = (lookup or live_token)(key_id)
    # Compare even when no row was found, so timing does not tell which it was.
    stored = token.digest if token is not None else "0" * 64
    if not tokens.matches(raw, stored) or token is None:
        return None
    now = timezone.now()
    stale = now - timezone.timedelta(seconds=TOKEN_LAST_USED_RESOLUTION_SECONDS)
    if token.last_used_at is None or token.last_used_at < stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def live_token(key_id: str) -> ApiToken | None:
    """The unrevoked token with this key id, of an active user, with the user."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_id=key_id, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def access_token_authenticate(raw: str) -> User | None:
    """The user a static ACCESS_TOKENS entry is bound to, if `raw` is one of them."""
    bound_email = None
    presented = tokens.digest(raw)
    # Every entry is compared, so the time taken does not reveal which one matched.
    for configured, email in app_settings.ACCESS_TOKENS.items():
        if secrets.compare_digest(tokens.digest(configured), presented):
            bound_email = email
    if bound_email is None:
        return None
    return User.objects.filter(email__iexact=bound_email, is_active=True).first()


# --- Users --------------------------------------------------------------------------


def user_update_profile(*, user: User, name: str) -> User:
    user.name = name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name"])
    return user


def pseudonym_for(email: str) -> str:
    """A stable stand-in for a deleted user's email in the records they leave."""
    digest = salted_hmac(
        "accounts.pseudonym", email.lower(), algorithm="sha256"
    ).hexdigest()[:16]
    return f"deleted-user-{digest}"


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and its private data; audit rows keep a pseudonym.

    Apps' deletion hooks remove their private rows of the user, or refuse (Conflict),
    e.g. when the user is the last owner of an organization that has other members.
    """
    for hook in hooks.deletion_hooks():
        hook(user)
    audit_record(action="account.deleted", actor=user)
    pseudonym = pseudonym_for(user.email)
    AuditEvent.objects.filter(
        models.Q(actor=user) | models.Q(actor_label__iexact=user.email)
    ).update(actor=None, actor_label=pseudonym)
    user.delete()


def email_address_verify_by_proof(
    *, user: User, email: str, proof: str
) -> EmailAddress:
    """Mark `email`, one of the user's own addresses, verified: `proof` names what
    proved the mailbox (e.g. "invitation_link"), and goes into the audit row.

    Own means an allauth address of theirs or their User.email (then the address
    row is made, primary if they have none). Conflict if another account holds it
    verified (one verified owner per address). Nothing changes, and nothing is
    written, when it is verified already.
    """
    email = email.strip()
    if (
        email.lower() != (user.email or "").lower()
        and not EmailAddress.objects.filter(user=user, email__iexact=email).exists()
    ):
        raise errors.PermissionDenied(f"{email} is not one of your addresses.")
    if (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .exclude(user=user)
        .exists()
    ):
        raise Conflict(f"{email} belongs to another account.")
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is not None and address.verified:
        return address
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        address = EmailAddress.objects.create(
            user=user, email=email, verified=True, primary=not has_primary
        )
    else:
        address.verified = True
        address.save(update_fields=["verified"])
    audit_record(
        action="auth.email_verified",
        actor=user,
        target=address,
        metadata={"email": address.email, "proof": proof},
    )
    return address


def verified_user_create(*, email: str, password: str | None = None, **fields) -> User:
    """A user whose email address is already verified (dev and QA accounts)."""
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def dev_account_ensure() -> tuple[str, str] | None:
    """Create the throwaway local account on the first run; return its credentials.

    Only with DEBUG on, only when there are no users, and only once per database:
    the audit event it writes marks it, so deleting the account does not bring it back.
    """
    if not settings.DEBUG or app_settings.DISABLE_AUTO_DEV_ACCOUNT:
        return None
    if (
        User.objects.exists()
        or AuditEvent.objects.filter(action=DEV_ACCOUNT_CREATED).exists()
    ):
        return None
    email = f"dev-{secrets.token_hex(3)}@example.com"
    password = secrets.token_urlsafe(12)
    user = verified_user_create(
        email=email,
        password=password,
        name="Local developer",
        is_staff=True,
        is_superuser=True,
    )
    audit_record(action=DEV_ACCOUNT_CREATED, actor=user)
    return email, password


def auth_disabled_user() -> User:
    """The real user row every request runs as when AUTH_DISABLED is on (DEBUG only)."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("AUTH_DISABLED is refused unless DEBUG is on.")
    user = User.objects.filter(email=AUTH_DISABLED_EMAIL).first()
    if user is None:
        try:
            with transaction.atomic():
                user = verified_user_create(email=AUTH_DISABLED_EMAIL, name="Dev")
        except IntegrityError:
            user = User.objects.get(email=AUTH_DISABLED_EMAIL)
    return user
