"""The consent page: the app, where it returns, the scopes in words, and the org the
connection acts in, chosen when the user has several."""

from allauth.idp.oidc.models import Token

from accounts.models import AuditEvent
from accounts.oauth import scopes
from accounts.oauth.models import OAuthGrant

from .conftest import pkce_pair, query_of


def _page(flow, client_id):
    _, challenge = pkce_pair()
    return flow.authorize(flow.authorize_params(client_id, challenge))


def test_page_names_app_redirect_host_scopes_and_org(flow):
    client_id = flow.register(client_name="Claude Desktop")["client_id"]
    page = _page(flow, client_id)
    html = page.content.decode()
    assert "Claude Desktop" in html
    assert "host.example" in html
    for words in scopes.DESCRIPTIONS.values():
        assert words in html
    assert "Acme" in html
    assert 'class="card"' in html
    assert '<select name="org"' not in html  # one org: no chooser


def test_user_with_several_orgs_chooses(flow, org_of):
    other = org_of(flow.user, "Bobco")
    client_id = flow.register()["client_id"]
    html = _page(flow, client_id).content.decode()
    assert '<select name="org"' in html
    assert "Bobco" in html
    tokens = flow.tokens(client_id, org=other)
    assert OAuthGrant.objects.get(client_id=tokens.client_id).org == other
    event = AuditEvent.objects.get(action="oauth.grant_created")
    assert event.org_id == other.pk


def test_an_org_the_user_is_not_in_is_refused(flow, org_of):
    from tests.factories import UserFactory

    foreign = org_of(UserFactory(), "Foreign")
    client_id = flow.register()["client_id"]
    _, challenge = pkce_pair()
    response = flow.consent(flow.authorize_params(client_id, challenge), org=foreign)
    assert response.status_code == 200  # the form again, with its error
    assert not OAuthGrant.objects.exists()


def test_refreshed_tokens_keep_the_grants_org(flow, org_of):
    other = org_of(flow.user, "Bobco")
    tokens = flow.tokens(org=other)
    fresh = flow.refresh(tokens.client_id, tokens.refresh_token).json()
    from .test_access_token_authentication import _call

    assert _call(fresh["access_token"]).data["org"] == str(other.pk)


def test_consent_for_another_org_replaces_the_connection(flow, org_of):
    other = org_of(flow.user, "Bobco")
    first = flow.tokens()
    code, verifier = flow.code_for(first.client_id, org=other)
    assert not Token.objects.lookup(Token.Type.ACCESS_TOKEN, first.access_token)
    assert flow.exchange(first.client_id, code, verifier).status_code == 200
    assert OAuthGrant.objects.get(client_id=first.client_id).org == other


def test_signed_out_user_is_sent_to_sign_in(flow):
    client_id = flow.register()["client_id"]
    flow.browser.logout()
    response = _page(flow, client_id)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert query_of(response)["next"].startswith("/identity/o/authorize?")


def test_user_in_no_org_is_told_and_cannot_connect(flow, settings):
    from orgs.models import Membership

    settings.ORGS_AUTO_CREATE_DEFAULT_ORG = False

    Membership.objects.filter(user=flow.user).delete()
    client_id = flow.register()["client_id"]
    html = _page(flow, client_id).content.decode()
    assert "You are in no organization yet" in html
    _, challenge = pkce_pair()
    response = flow.consent(flow.authorize_params(client_id, challenge))
    assert response.status_code == 200
    assert not OAuthGrant.objects.exists()
