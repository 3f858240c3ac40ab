"""The hub side of cross-app sign-in: apps registered with `manage.py sso_client`
are confidential OpenID Connect clients that get, consent-free, a short-lived ID
token saying who the user is, and nothing to act with."""

import base64
import io
import json
from urllib.parse import urlencode

import jwt
import pytest
from allauth.idp.oidc.models import Client, Token
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client as Browser

from accounts.models import AuditEvent
from accounts.oauth.resource import mcp_url
from tests.accounts.oauth.conftest import AUTHORIZE_URL, TOKEN_URL, pkce_pair, query_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALLBACK = "https://spoke.example/accounts/identity_hub/login/callback/"


def _add(*args) -> tuple[Client, str]:
    out = io.StringIO()
    call_command("sso_client", "add", *args, stdout=out)
    values = dict(
        line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line
    )
    client = Client.objects.get(pk=values["IDENTITY_HUB_CLIENT_ID"])
    return client, values["IDENTITY_HUB_CLIENT_SECRET"]


@pytest.fixture
def spoke():
    return _add("--name", "Spoke", "--redirect", CALLBACK)


@pytest.fixture
def person():
    user = UserFactory(email="Alice@Acme.test", name="Alice Example")
    browser = Browser()
    browser.force_login(user)
    return user, browser


def _authorize(browser, client, **overrides):
    verifier, challenge = pkce_pair()
    params = {
        "response_type": "code",
        "client_id": client.id,
        "redirect_uri": CALLBACK,
        "scope": "openid email profile",
        "state": "st-1",
        "nonce": "n-0S6_WzA2Mj",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **overrides,
    }
    params = {k: v for k, v in params.items() if v is not None}
    return browser.get(f"{AUTHORIZE_URL}?{urlencode(params)}"), verifier


def _basic(client_id, secret) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _exchange(client, secret, code, verifier):
    return Browser().post(
        TOKEN_URL,
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": CALLBACK,
        },
        HTTP_AUTHORIZATION=_basic(client.id, secret),
    )


def _claims(id_token: str, client_id: str) -> dict:
    jwks = Browser().get("/.well-known/jwks.json").json()
    header = jwt.get_unverified_header(id_token)
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key))
    return jwt.decode(id_token, public, algorithms=["RS256"], audience=client_id)


def test_add_registers_a_confidential_first_party_client(spoke):
    client, secret = spoke
    assert client.type == Client.Type.CONFIDENTIAL
    assert client.skip_consent
    assert client.get_redirect_uris() == [CALLBACK]
    assert client.get_scopes() == ["openid", "email", "profile"]
    assert client.get_grant_types() == ["authorization_code"]
    # Only the hash is kept; the printed secret is the one that works.
    assert secret not in client.secret
    assert client.check_secret(secret)
    event = AuditEvent.objects.get(action="sso.client_added")
    assert event.metadata["client_id"] == client.id
    assert secret not in json.dumps(event.metadata)


@pytest.mark.parametrize(
    "redirect",
    [
        "http://spoke.example/callback",  # http off loopback
        "https://spoke.example/callback#frag",
        "https://*.spoke.example/callback",
        "https://user@spoke.example/callback",
        "spoke-app://callback",
        "/relative/callback",
    ],
)
def test_add_refuses_a_redirect_a_web_app_would_not_have(redirect):
    with pytest.raises(CommandError):
        call_command("sso_client", "add", "--name", "Spoke", "--redirect", redirect)
    assert not Client.objects.exists()


def test_sign_in_is_consent_free_and_the_id_token_says_who(spoke, person):
    client, secret = spoke
    user, browser = person
    response, verifier = _authorize(browser, client)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{CALLBACK}?")
    query = query_of(response)
    assert query["state"] == "st-1"

    exchanged = _exchange(client, secret, query["code"], verifier)
    assert exchanged.status_code == 200, exchanged.content
    claims = _claims(exchanged.json()["id_token"], client.id)
    assert claims["sub"] == str(user.pk)
    assert claims["email"] == "Alice@Acme.test"
    assert claims["email_verified"] is True
    assert claims["email_domain"] == "acme.test"
    assert claims["name"] == "Alice Example"
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["iss"] == settings.APP_URL
    assert claims["exp"] - claims["iat"] <= 5 * 60
    assert "refresh_token" not in exchanged.json()


def test_the_hub_audits_which_app_the_user_signed_in_to(spoke, person):
    client, secret = spoke
    user, browser = person
    response, verifier = _authorize(browser, client)
    _exchange(client, secret, query_of(response)["code"], verifier)
    event = AuditEvent.objects.get(action="sso.signed_in_to_client")
    assert event.actor == user
    assert event.metadata == {"client_id": client.id, "client_name": "Spoke"}


def test_an_unverified_address_is_said_to_be_unverified(spoke):
    client, secret = spoke
    user = UserFactory(verified=False)
    browser = Browser()
    browser.force_login(user)
    response, verifier = _authorize(browser, client)
    exchanged = _exchange(client, secret, query_of(response)["code"], verifier)
    assert _claims(exchanged.json()["id_token"], client.id)["email_verified"] is False


def test_the_code_needs_the_clients_secret(spoke, person):
    client, _ = spoke
    response, verifier = _authorize(person[1], client)
    exchanged = _exchange(
        client, "not-the-secret", query_of(response)["code"], verifier
    )
    assert exchanged.status_code == 401
    assert exchanged.json()["error"] == "invalid_client"
    assert not AuditEvent.objects.filter(action="sso.signed_in_to_client").exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"resource": mcp_url()}, "invalid_target"),
        ({"scope": "openid mcp:write"}, "invalid_scope"),
    ],
)
def test_sign_in_refuses_what_it_does_not_offer(spoke, person, overrides, error):
    response, _ = _authorize(person[1], spoke[0], **overrides)
    assert response.status_code == 302
    query = query_of(response)
    assert query["error"] == error
    assert "code" not in query


@pytest.mark.parametrize(
    "redirect",
    [
        CALLBACK + "?extra=1",  # allauth lets a query carry more
        "https://spoke.example/accounts/identity_hub/login/callback/other/",
        "https://spoke.example:8443/accounts/identity_hub/login/callback/",
        "https://evil.example/accounts/identity_hub/login/callback/",
    ],
)
def test_a_redirect_uri_must_match_exactly_and_is_never_followed(
    spoke, person, redirect
):
    response, _ = _authorize(person[1], spoke[0], redirect_uri=redirect)
    # allauth's own check or ours: an error page here, never a redirect there.
    assert response.status_code in (200, 400)
    assert "Location" not in response
    assert "form" not in (response.context or {})


def test_a_loopback_redirect_must_match_its_port_too(person):
    client, _ = _add("--name", "Dev", "--redirect", "http://127.0.0.1:8001/cb/")
    response, _ = _authorize(
        person[1], client, redirect_uri="http://127.0.0.1:8002/cb/"
    )
    assert response.status_code == 400
    assert "Location" not in response


def test_an_app_registered_with_consent_asks_first_without_an_org(person):
    client, _ = _add("--name", "Partner", "--redirect", CALLBACK, "--consent")
    browser = person[1]
    page, _ = _authorize(browser, client)
    assert page.status_code == 200
    assert "Sign in to Partner" in page.content.decode()
    form = page.context["form"]
    assert "org" not in form.fields
    response = browser.post(
        AUTHORIZE_URL,
        {
            "request": form["request"].value(),
            "scopes": form["scopes"].value(),
            "action": "grant",
        },
    )
    assert response.status_code == 302
    assert "code" in query_of(response)


def test_a_sign_in_token_opens_neither_mcp_nor_the_api(spoke, person):
    client, secret = spoke
    response, verifier = _authorize(person[1], client)
    tokens = _exchange(client, secret, query_of(response)["code"], verifier).json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}
    assert Token.objects.filter(client=client).exists()
    mcp = Browser().post(
        "/mcp",
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        **bearer,
    )
    assert mcp.status_code == 401
    assert Browser().get("/api/actions/", **bearer).status_code == 401
    assert (
        mcp_url()
        not in Token.objects.get(
            client=client, type=Token.Type.ACCESS_TOKEN
        ).get_resources()
    )


def test_discovery_offers_sign_in(db):
    metadata = Browser().get("/.well-known/openid-configuration").json()
    assert {"openid", "email", "profile"} <= set(metadata["scopes_supported"])
    assert {"email", "email_verified", "email_domain", "name", "sub"} <= set(
        metadata["claims_supported"]
    )
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["response_types_supported"] == ["code"]


def test_list_and_remove(spoke, person):
    client, secret = spoke
    response, verifier = _authorize(person[1], client)
    _exchange(client, secret, query_of(response)["code"], verifier)
    out = io.StringIO()
    call_command("sso_client", "list", stdout=out)
    assert client.id in out.getvalue()
    assert CALLBACK in out.getvalue()
    call_command("sso_client", "remove", client.id, stdout=io.StringIO())
    assert not Client.objects.filter(pk=client.id).exists()
    assert not Token.objects.filter(client_id=client.id).exists()
    assert AuditEvent.objects.filter(action="sso.client_removed").exists()
    with pytest.raises(CommandError):
        call_command("sso_client", "remove", client.id)


def test_remove_leaves_agent_hosts_alone(flow):
    agent_host = flow.register()["client_id"]
    with pytest.raises(CommandError):
        call_command("sso_client", "remove", agent_host)
    assert Client.objects.filter(pk=agent_host).exists()


def test_sign_in_pages_may_send_the_user_back_to_a_registered_app(client, spoke):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(
        part for part in policy.split(";") if part.strip().startswith("form-action")
    )
    assert "https://spoke.example" in form_action


def test_no_app_no_extra_form_action(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "spoke.example" not in policy


def test_an_agent_host_marked_consent_free_still_gets_the_consent_page(flow):
    """skip_consent (settable in admin) is for sign-in clients: an MCP connection
    needs its org chosen."""
    client_id = flow.register()["client_id"]
    Client.objects.filter(pk=client_id).update(skip_consent=True)
    _, challenge = pkce_pair()
    page = flow.authorize(flow.authorize_params(client_id, challenge))
    assert page.status_code == 200
    assert "org" in page.context["form"].fields
