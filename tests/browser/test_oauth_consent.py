"""An agent host's sign-in in a real browser: sign in, choose the org on the consent
page, and land back at the host with a code; axe-clean in both schemes, no console
error or CSP violation (browsers apply form-action to the redirect after the POST)."""

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from allauth.idp.oidc.models import Client

from accounts.oauth.models import OAuthGrant
from accounts.oauth.resource import mcp_url
from orgs import services as orgs
from tests.accounts.oauth.conftest import pkce_pair
from tests.browser.conftest import Watched
from tests.browser.test_journey import _accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

CALLBACK = "https://host.example/callback"


@pytest.fixture
def site(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def test_consent_in_the_browser_returns_a_code_for_the_chosen_org(browser, site):
    user = UserFactory(email="olga@example.com")
    orgs.org_create(user=user, name="Acme")
    bobco = orgs.org_create(user=user, name="Bobco")
    client = Client(name="Agent Host", type=Client.Type.PUBLIC)
    client.set_redirect_uris([CALLBACK])
    client.set_grant_types(["authorization_code", "refresh_token"])
    client.set_scopes(["mcp:read", "mcp:write"])
    client.save()
    _, challenge = pkce_pair()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client.id,
            "redirect_uri": CALLBACK,
            "scope": "mcp:read mcp:write",
            "state": "s1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "resource": mcp_url(),
        }
    )
    watched = Watched(browser.new_context().new_page(), "oauth-consent")
    page = watched.page
    landed = []

    def host(route):
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/plain", body="ok")

    page.route(re.compile(r"^https://host\.example/"), host)
    page.goto(f"{site}/identity/o/authorize?{query}")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/identity/o/authorize\?"))
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        watched.shot(f"consent-{scheme}")
        _accessible(watched)
    page.select_option("#id_org", label="Bobco")
    page.click("button[value=grant]")
    page.wait_for_url(re.compile(r"^https://host\.example/callback"))
    params = parse_qs(urlparse(landed[-1]).query)
    assert params["state"] == ["s1"]
    assert params["code"]
    assert OAuthGrant.objects.get(client=client, user=user).org == bobco
    watched.assert_clean()
