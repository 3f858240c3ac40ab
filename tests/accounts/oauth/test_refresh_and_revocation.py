"""Refresh tokens rotate; one presented again ends its connection; revocation works."""

from allauth.idp.oidc.models import Token

from accounts.models import AuditEvent
from accounts.oauth.models import OAuthGrant

from .conftest import REVOKE_URL


def test_refresh_rotates_and_keeps_resource_and_org(flow):
    tokens = flow.tokens()
    response = flow.refresh(tokens.client_id, tokens.refresh_token)
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["refresh_token"] != tokens.refresh_token
    assert fresh["access_token"] != tokens.access_token
    access = Token.objects.lookup(Token.Type.ACCESS_TOKEN, fresh["access_token"])
    assert access.get_resources() == tokens_resources(tokens)
    assert OAuthGrant.objects.filter(client_id=tokens.client_id).count() == 1


def tokens_resources(tokens):
    from accounts.oauth.resource import mcp_url

    return [mcp_url()]


def test_reused_refresh_token_revokes_the_whole_grant(flow):
    tokens = flow.tokens()
    fresh = flow.refresh(tokens.client_id, tokens.refresh_token).json()
    replay = flow.refresh(tokens.client_id, tokens.refresh_token)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    # Every token of the connection is gone, the newest included.
    assert not Token.objects.filter(client_id=tokens.client_id).exists()
    assert flow.refresh(tokens.client_id, fresh["refresh_token"]).status_code == 400
    assert not OAuthGrant.objects.filter(client_id=tokens.client_id).exists()
    event = AuditEvent.objects.get(action="oauth.grant_revoked")
    assert event.metadata["reason"] == "refresh_token_reused"
    assert event.actor == flow.user


def test_reuse_leaves_other_connections_alone(flow):
    mine = flow.tokens()
    other = flow.tokens()
    flow.refresh(mine.client_id, mine.refresh_token)
    flow.refresh(mine.client_id, mine.refresh_token)
    assert flow.refresh(other.client_id, other.refresh_token).status_code == 200


def test_another_clients_refresh_token_is_refused(flow):
    mine = flow.tokens()
    thief = flow.register(client_name="Thief")["client_id"]
    assert flow.refresh(thief, mine.refresh_token).status_code == 400
    assert flow.refresh(mine.client_id, mine.refresh_token).status_code == 200


def test_revocation_endpoint_revokes_a_token(flow):
    tokens = flow.tokens()
    response = flow.api.post(
        REVOKE_URL,
        {
            "token": tokens.access_token,
            "token_type_hint": "access_token",
            "client_id": tokens.client_id,
        },
    )
    assert response.status_code == 200
    assert Token.objects.lookup(Token.Type.ACCESS_TOKEN, tokens.access_token) is None


def test_revoking_the_refresh_token_ends_the_connection(flow):
    tokens = flow.tokens()
    response = flow.api.post(
        REVOKE_URL, {"token": tokens.refresh_token, "client_id": tokens.client_id}
    )
    assert response.status_code == 200
    assert flow.refresh(tokens.client_id, tokens.refresh_token).status_code == 400
    assert Token.objects.lookup(Token.Type.ACCESS_TOKEN, tokens.access_token) is None
    assert not OAuthGrant.objects.exists()
    event = AuditEvent.objects.get(action="oauth.grant_revoked")
    assert event.metadata["reason"] == "revoked_by_client"


def test_revoking_an_access_token_keeps_the_connection(flow):
    tokens = flow.tokens()
    flow.api.post(
        REVOKE_URL, {"token": tokens.access_token, "client_id": tokens.client_id}
    )
    assert OAuthGrant.objects.exists()
    assert flow.refresh(tokens.client_id, tokens.refresh_token).status_code == 200


def test_another_client_cannot_revoke_a_connection(flow):
    tokens = flow.tokens()
    thief = flow.register(client_name="Thief")["client_id"]
    for token in (tokens.refresh_token, tokens.access_token):
        response = flow.api.post(REVOKE_URL, {"token": token, "client_id": thief})
        assert response.status_code == 400
    assert OAuthGrant.objects.filter(client_id=tokens.client_id).exists()
    assert Token.objects.lookup(Token.Type.ACCESS_TOKEN, tokens.access_token)


def test_rotated_hashes_are_kept_for_a_refresh_tokens_life_only(flow, settings):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.oauth.models import RotatedRefreshToken

    tokens = flow.tokens()
    first = flow.refresh(tokens.client_id, tokens.refresh_token).json()
    old = timezone.now() - timedelta(
        seconds=settings.IDP_OIDC_REFRESH_TOKEN_EXPIRES_IN + 1
    )
    RotatedRefreshToken.objects.update(rotated_at=old)
    flow.refresh(tokens.client_id, first["refresh_token"])
    assert RotatedRefreshToken.objects.count() == 1


def test_expired_tokens_are_cleared_by_the_hourly_task(flow, settings):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tasks import clear_expired_oauth_tokens

    tokens = flow.tokens()
    Token.objects.filter(type=Token.Type.ACCESS_TOKEN).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert clear_expired_oauth_tokens() == 1
    assert Token.objects.filter(type=Token.Type.REFRESH_TOKEN).exists()
    assert flow.refresh(tokens.client_id, tokens.refresh_token).status_code == 200
    schedule = settings.CELERY_BEAT_SCHEDULE["clear-expired-oauth-tokens"]
    from config.celery_app import app

    app.loader.import_default_modules()
    assert schedule["task"] in app.tasks
