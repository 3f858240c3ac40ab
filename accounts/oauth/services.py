"""Every change to OAuth connections: consent, use, refresh rotation, revocation;
and to the apps that sign their users in here. Each writes its one audit row."""

import hashlib
from datetime import timedelta

from allauth.idp.oidc import app_settings as oidc_settings
from allauth.idp.oidc.adapter import get_adapter
from allauth.idp.oidc.models import Client, Token
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.oauth import scopes
from accounts.oauth.adapter import check_sign_in_redirect_uri
from accounts.oauth.models import OAuthGrant, RotatedRefreshToken
from accounts.services import audit_record

# Recording every use would write on every MCP call; once a minute is enough.
LAST_USED_RESOLUTION_SECONDS = 60

# How long an exchanged code is remembered, to catch its reuse: well past its life.
CODE_MEMORY_SECONDS = 10 * 60
PENDING = "pending"

GRANTED = "oauth.grant_created"
REVOKED = "oauth.grant_revoked"
SIGN_IN_CLIENT_ADDED = "sso.client_added"
SIGN_IN_CLIENT_REMOVED = "sso.client_removed"
SIGNED_IN_TO_CLIENT = "sso.signed_in_to_client"


def _client_metadata(client: Client) -> dict:
    return {"client_id": client.id, "client_name": client.name}


@transaction.atomic
def grant_save(*, client: Client, user: User, org, scopes: list[str]) -> OAuthGrant:
    """Record the user's consent for `client` to act in `org` with `scopes`. A
    consent for another org replaces the connection: the client's earlier tokens
    for this user stop working, so none acts in an org the user did not pick now."""
    grant = OAuthGrant.objects.filter(client=client, user=user).first()
    if grant is not None and grant.org_id != org.pk:
        _tokens_of(client=client, user=user).delete()
        RotatedRefreshToken.objects.filter(grant=grant).delete()
    if grant is None:
        grant = OAuthGrant(client=client, user=user)
    grant.org = org
    grant.scopes = list(scopes)
    grant.created_at = timezone.now()
    grant.save()
    audit_record(
        action=GRANTED,
        actor=user,
        org_id=org.pk,
        target=grant,
        metadata={**_client_metadata(client), "scopes": list(scopes)},
    )
    return grant


@transaction.atomic
def grant_revoke(*, grant: OAuthGrant, reason: str) -> None:
    """End the connection: every token of its client for its user, and the grant.
    `reason`: "disconnected" (the user), "refresh_token_reused" (the server)."""
    _tokens_of(client=grant.client, user=grant.user).delete()
    audit_record(
        action=REVOKED,
        actor=grant.user,
        org_id=grant.org_id,
        target=grant,
        metadata={**_client_metadata(grant.client), "reason": reason},
    )
    grant.delete()


def connection_revoke(*, client: Client, user: User, reason: str) -> None:
    """End the connection of `client` for `user`, if there is one."""
    grant = OAuthGrant.objects.filter(client=client, user=user).first()
    if grant is not None:
        grant_revoke(grant=grant, reason=reason)


def grant_note_use(grant: OAuthGrant) -> None:
    """Remember when the connection was last used, at most once a minute."""
    now = timezone.now()
    last = grant.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        OAuthGrant.objects.filter(pk=grant.pk).update(last_used_at=now)
        grant.last_used_at = now


def refresh_token_rotated(*, token: Token) -> None:
    """`token`, a refresh token, was just exchanged: remember its hash, so that
    presenting it again ends the connection."""
    grant = OAuthGrant.objects.filter(client=token.client, user=token.user).first()
    if grant is None:
        return
    RotatedRefreshToken.objects.get_or_create(
        hash=token.hash, defaults={"grant": grant}
    )
    # One row per refresh would pile up; past a refresh token's life a replay
    # fails anyway.
    lifetime = oidc_settings.REFRESH_TOKEN_EXPIRES_IN
    if lifetime:
        RotatedRefreshToken.objects.filter(
            grant=grant, rotated_at__lt=timezone.now() - timedelta(seconds=lifetime)
        ).delete()


def refresh_token_reuse_revoke(*, token_hash: str) -> bool:
    """True if `token_hash` is a refresh token already exchanged; its connection is
    revoked then (a copy of it is in someone else's hands)."""
    rotated = (
        RotatedRefreshToken.objects.filter(hash=token_hash)
        .select_related("grant__client", "grant__user")
        .first()
    )
    if rotated is None:
        return False
    grant_revoke(grant=rotated.grant, reason="refresh_token_reused")
    return True


def expired_tokens_clear() -> int:
    """Delete expired access and refresh tokens (allauth's `oidc_cleartokens`, for
    beat); their connections stay, to be refreshed or disconnected."""
    count, _ = Token.objects.expired().delete()
    return count


def _code_key(client_id: str, code: str) -> str:
    digest = hashlib.sha256(f"{client_id}:{code}".encode()).hexdigest()
    return f"accounts.oauth.code_exchanged:{digest}"


def code_exchange_begin(*, client_id: str, code: str) -> bool:
    """Claim the exchange of `code`: False if it is under way, or done (its
    connection is revoked then: someone else holds a copy of the code)."""
    key = _code_key(client_id, code)
    if cache.add(key, PENDING, timeout=CODE_MEMORY_SECONDS):
        return True
    grant_id = cache.get(key)
    grant = (
        OAuthGrant.objects.filter(pk=grant_id).first()
        if isinstance(grant_id, int)
        else None
    )
    if grant is not None:
        grant_revoke(grant=grant, reason="code_reused")
    return False


def code_exchange_end(*, client_id: str, code: str, token: Token | None) -> None:
    """The exchange of `code` is over: remember its connection if it gave `token`,
    else forget the claim (a failed exchange, e.g. a wrong verifier, used nothing)."""
    key = _code_key(client_id, code)
    grant = (
        token
        and OAuthGrant.objects.filter(
            client_id=token.client_id, user_id=token.user_id
        ).first()
    )
    if grant is None:
        cache.delete(key)
    else:
        cache.set(key, grant.pk, timeout=CODE_MEMORY_SECONDS)


def _tokens_of(*, client: Client, user: User):
    return Token.objects.filter(client=client, user=user)


@transaction.atomic
def sign_in_client_add(
    *, name: str, redirect_uris: list[str], consent: bool = False
) -> tuple[Client, str]:
    """Register an app that signs its users in here (OpenID Connect): a
    confidential client allowed `openid email profile` and the authorization code
    grant only, with exactly `redirect_uris`. Without `consent` (the team's own
    apps) users go straight back, signed in. Returns the client and its secret,
    which only its hash keeps from now on."""
    name = name.strip()
    if not name or len(name) > Client._meta.get_field("name").max_length:
        raise ValidationError("Give the app a name of at most 100 characters.")
    if not redirect_uris:
        raise ValidationError("Give at least one redirect URI.")
    for uri in redirect_uris:
        check_sign_in_redirect_uri(uri)
    secret = get_adapter().generate_client_secret()
    client = Client(name=name, type=Client.Type.CONFIDENTIAL, skip_consent=not consent)
    client.secret = make_password(secret)
    client.set_redirect_uris(list(redirect_uris))
    client.set_scopes(list(scopes.SIGN_IN_SCOPES))
    client.set_default_scopes(list(scopes.SIGN_IN_SCOPES))
    client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE.value])
    client.set_response_types([Client.ResponseType.CODE.value])
    client.save()
    audit_record(
        action=SIGN_IN_CLIENT_ADDED,
        org_id=None,
        target=client,
        metadata={
            **_client_metadata(client),
            "redirect_uris": list(redirect_uris),
            "consent": consent,
        },
    )
    return client, secret


@transaction.atomic
def sign_in_client_remove(*, client: Client) -> None:
    """Unregister a sign-in client: its tokens go with it, and its next sign-in
    attempt is refused here. Nothing in the app itself changes."""
    audit_record(
        action=SIGN_IN_CLIENT_REMOVED,
        org_id=None,
        target=client,
        metadata=_client_metadata(client),
    )
    client.delete()


def client_sign_in_record(*, client: Client, user: User) -> None:
    """`user` was signed in to `client`: it got an ID token saying who they are."""
    audit_record(
        action=SIGNED_IN_TO_CLIENT,
        actor=user,
        org_id=None,
        target=client,
        metadata=_client_metadata(client),
    )
