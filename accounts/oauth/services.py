"""Every change to OAuth connections: consent, use, refresh rotation, revocation.
Each writes its one audit row."""

from allauth.idp.oidc.models import Client, Token
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.oauth.models import OAuthGrant, RotatedRefreshToken
from accounts.services import audit_record

# Recording every use would write on every MCP call; once a minute is enough.
LAST_USED_RESOLUTION_SECONDS = 60

GRANTED = "oauth.grant_created"
REVOKED = "oauth.grant_revoked"


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
    if grant is not None:
        RotatedRefreshToken.objects.get_or_create(
            hash=token.hash, defaults={"grant": grant}
        )


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


def _tokens_of(*, client: Client, user: User):
    return Token.objects.filter(client=client, user=user)
