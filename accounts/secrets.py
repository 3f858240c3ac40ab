"""Credentials people bring (API keys, OAuth tokens): stored encrypted, resolved per
user, never shown whole, never logged, never sent where they are not allowed.

`${keys.NAME}` in a template or tool config resolves to the caller's secret NAME; the
organization's secret of that name stands in only with KEYS_WORKSPACE_FALLBACK=1. A
missing key is an error, never a silent fallback to a deploy-wide environment variable.
"""

import json
import re
from urllib.parse import urlsplit

from django.db import transaction

from accounts import crypto
from accounts.app_settings import app_settings
from accounts.models import OAuthToken, Secret, SecretScope, User
from accounts.services import audit_record
from config.errors import InvalidInput, NotFound, PermissionDenied

_KEY_REFERENCE = re.compile(r"\$\{keys\.([A-Za-z0-9_.-]{1,100})\}")
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def _scope_of(scope: str, *, user: User, org) -> tuple[str, str]:
    if scope == SecretScope.USER:
        return SecretScope.USER, str(user.pk)
    if scope == SecretScope.ORG:
        if org is None:
            raise InvalidInput("An organization's secret needs an organization.")
        return SecretScope.ORG, str(org.pk)
    raise InvalidInput(fields={"scope": ["Choose user or org."]})


def _manages(user: User, org) -> bool:
    """Whether `user` is an owner or admin of `org` (who set its secrets, and see
    their tails)."""
    from orgs.models import Membership, Role

    membership = Membership.objects.filter(user=user, org=org).first()
    return membership is not None and membership.has_role(Role.ADMIN)


def _require_org_manager(user: User, org) -> None:
    if not _manages(user, org):
        raise PermissionDenied(
            "Only an owner or admin sets the organization's secrets."
        )


@transaction.atomic
def secret_set(
    *,
    user: User,
    org,
    name: str,
    value: str,
    scope: str = "user",
    url_allowlist: list[str] | None = None,
) -> Secret:
    if not _NAME.match(name or ""):
        raise InvalidInput(fields={"name": ["Letters, digits, . _ - only."]})
    if not value:
        raise InvalidInput(fields={"value": ["The secret is empty."]})
    kind, scope_id = _scope_of(scope, user=user, org=org)
    if kind == SecretScope.ORG:
        _require_org_manager(user, org)
    secret = Secret.objects.filter(scope=kind, scope_id=scope_id, name=name).first()
    secret = secret or Secret(scope=kind, scope_id=scope_id, name=name, revision=0)
    secret.value = crypto.encrypt(value, bound_to=secret.bound_to)
    secret.url_allowlist = [host.lower() for host in (url_allowlist or [])]
    secret.revision += 1
    secret.save()
    audit_record(
        action="secret.set",
        actor=user,
        org_id=org.pk if org else None,
        metadata={"name": name, "scope": kind},
    )
    return secret


def secret_delete(*, user: User, org, name: str, scope: str = "user"):
    kind, scope_id = _scope_of(scope, user=user, org=org)
    if kind == SecretScope.ORG:
        _require_org_manager(user, org)
    deleted, _ = Secret.objects.filter(
        scope=kind, scope_id=scope_id, name=name
    ).delete()
    if not deleted:
        raise NotFound(f"No secret named {name}.")
    audit_record(
        action="secret.deleted",
        actor=user,
        org_id=org.pk if org else None,
        metadata={"name": name, "scope": kind},
    )


def secrets_visible_to(*, user: User, org) -> list[dict]:
    """Names of the user's secrets and their org's, never values. The masked tail
    (`••••abcd`) of an org's secret is shown to its owners and admins only: for
    members, a tail narrows a guess and tells a rotated key from the old one."""
    rows = Secret.objects.filter(scope=SecretScope.USER, scope_id=str(user.pk))
    if org is not None:
        rows = rows | Secret.objects.filter(scope=SecretScope.ORG, scope_id=str(org.pk))
    sees_org_tails = org is not None and _manages(user, org)
    return [
        {
            "name": secret.name,
            "scope": secret.scope,
            "masked": _masked(secret)
            if secret.scope == SecretScope.USER or sees_org_tails
            else crypto.mask(""),
            "url_allowlist": secret.url_allowlist,
            "updated_at": secret.updated_at.isoformat(),
        }
        for secret in rows.order_by("scope", "name")
    ]


def _masked(secret: Secret) -> str:
    return crypto.mask(crypto.decrypt(secret.value, bound_to=secret.bound_to))


def resolve_secret(name: str, *, user: User, org, url: str | None = None) -> str:
    """The value of `name` for this user (or, with the fallback on, their org)."""
    if user is None:
        raise PermissionDenied("Secrets resolve only for a signed-in user.")
    secret = Secret.objects.filter(
        scope=SecretScope.USER, scope_id=str(user.pk), name=name
    ).first()
    if secret is None and org is not None and app_settings.KEYS_WORKSPACE_FALLBACK:
        secret = Secret.objects.filter(
            scope=SecretScope.ORG, scope_id=str(org.pk), name=name
        ).first()
    if secret is None:
        raise NotFound(
            f"No secret named {name}: add it on your account page. (A server-wide "
            "environment variable never stands in for your own key.)"
        )
    if url is not None and secret.url_allowlist:
        host = (urlsplit(url).hostname or "").lower()
        if host not in secret.url_allowlist:
            raise PermissionDenied(f"The secret {name} may not be sent to {host}.")
    return crypto.decrypt(secret.value, bound_to=secret.bound_to)


def expand_keys(text: str, *, user: User, org, url: str | None = None) -> str:
    """Replace every `${keys.NAME}` in `text` with the caller's secret NAME."""
    return _KEY_REFERENCE.sub(
        lambda m: resolve_secret(m[1], user=user, org=org, url=url), text
    )


def oauth_token_save(*, provider: str, account_id: str, token: dict) -> OAuthToken:
    """Store a provider's token for the current scope's user and org (encrypted)."""
    row = OAuthToken.objects.filter(provider=provider, account_id=account_id).first()
    row = row or OAuthToken(provider=provider, account_id=account_id, revision=0)
    row.token = crypto.encrypt(json.dumps(token), bound_to=row.bound_to)
    row.revision += 1
    row.save()
    return row


def oauth_token_get(*, provider: str, account_id: str) -> dict | None:
    row = OAuthToken.objects.filter(provider=provider, account_id=account_id).first()
    if row is None:
        return None
    return json.loads(crypto.decrypt(row.token, bound_to=row.bound_to))


def secrets_rotate() -> int:
    """Re-encrypt every secret, token and MFA secret not already under the newest
    key (MFA secrets saved in the clear are encrypted too)."""
    from accounts.mfa_secrets import mfa_secrets_rotate
    from scoping.scopes import unscoped

    count = 0
    with unscoped(reason="rotate_secrets: re-encrypt with the newest key"):
        count += mfa_secrets_rotate()
        for model, field in ((Secret, "value"), (OAuthToken, "token")):
            for row in model.objects.select_for_update().iterator():
                current = getattr(row, field)
                if crypto.is_current(current):
                    continue
                plain = crypto.decrypt(current, bound_to=row.bound_to)
                setattr(row, field, crypto.encrypt(plain, bound_to=row.bound_to))
                row.save(update_fields=[field])
                count += 1
    return count
