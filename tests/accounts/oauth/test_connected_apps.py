"""/account/ lists the apps connected through OAuth and disconnects them."""

from allauth.idp.oidc.models import Token
from django.test import Client as Browser

from accounts.models import AuditEvent
from accounts.oauth import scopes
from accounts.oauth.models import OAuthGrant
from tests.factories import UserFactory


def test_account_page_lists_connected_apps(flow):
    tokens = flow.tokens(flow.register(client_name="Cursor")["client_id"])
    from .test_access_token_authentication import _call

    _call(tokens.access_token)
    html = flow.browser.get("/account/").content.decode()
    assert "Cursor" in html
    assert scopes.DESCRIPTIONS["mcp:read"] in html
    assert "Acme" in html
    assert "never" not in html.split("Connected apps")[1].split("</section>")[0]


def test_disconnect_revokes_every_token_and_is_audited(flow):
    tokens = flow.tokens()
    grant = OAuthGrant.objects.get(client_id=tokens.client_id)
    response = flow.browser.post(f"/account/apps/{grant.pk}/disconnect/")
    assert response.status_code == 302
    assert not Token.objects.filter(client_id=tokens.client_id).exists()
    assert not OAuthGrant.objects.exists()
    event = AuditEvent.objects.get(action="oauth.grant_revoked")
    assert event.metadata["reason"] == "disconnected"
    assert event.org_id == grant.org_id
    assert flow.refresh(tokens.client_id, tokens.refresh_token).status_code == 400


def test_another_users_app_cannot_be_disconnected(flow):
    tokens = flow.tokens()
    grant = OAuthGrant.objects.get(client_id=tokens.client_id)
    stranger = Browser()
    stranger.force_login(UserFactory())
    response = stranger.post(f"/account/apps/{grant.pk}/disconnect/")
    assert response.status_code == 404
    assert OAuthGrant.objects.filter(pk=grant.pk).exists()
    assert Token.objects.filter(client_id=tokens.client_id).exists()
