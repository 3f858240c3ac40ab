"""What the authorize and token endpoints refuse: PKCE missing, plain or wrong; a
code used twice, by another client, or expired; redirect URIs that do not match;
resources other than /mcp; silent authorization."""

import pytest
from allauth.idp.oidc.models import Token

from accounts.models import AuditEvent
from accounts.oauth.models import OAuthGrant
from accounts.oauth.resource import mcp_url

from .conftest import REDIRECT_URI, pkce_pair, query_of


@pytest.fixture
def client_id(flow):
    return flow.register()["client_id"]


def _refused_redirect(response, error):
    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI)
    query = query_of(response)
    assert query["error"] == error
    assert query["state"] == "st-123"
    assert "code" not in query


def test_missing_code_challenge_is_refused(flow, client_id):
    params = flow.authorize_params(client_id, None, code_challenge_method=None)
    _refused_redirect(flow.authorize(params), "invalid_request")


def test_plain_code_challenge_is_refused(flow, client_id):
    verifier, _ = pkce_pair()
    params = flow.authorize_params(client_id, verifier, code_challenge_method="plain")
    _refused_redirect(flow.authorize(params), "invalid_request")


def test_challenge_without_method_is_refused(flow, client_id):
    # oauthlib reads a missing method as "plain".
    _, challenge = pkce_pair()
    params = flow.authorize_params(client_id, challenge, code_challenge_method=None)
    _refused_redirect(flow.authorize(params), "invalid_request")


def test_confidential_clients_need_pkce_too(flow):
    data = flow.register(token_endpoint_auth_method="client_secret_post")
    params = flow.authorize_params(data["client_id"], None, code_challenge_method=None)
    _refused_redirect(flow.authorize(params), "invalid_request")


def test_missing_resource_is_refused(flow, client_id):
    _, challenge = pkce_pair()
    params = flow.authorize_params(client_id, challenge, resource=None)
    _refused_redirect(flow.authorize(params), "invalid_target")


def test_another_resource_is_refused(flow, client_id):
    _, challenge = pkce_pair()
    params = flow.authorize_params(
        client_id, challenge, resource="https://elsewhere.example/mcp"
    )
    response = flow.authorize(params)
    assert b"code=" not in response.get("Location", "").encode()
    assert response.status_code in (200, 302, 400)
    assert "form" not in (response.context or {})


def test_wrong_verifier_is_refused(flow, client_id):
    code, _ = flow.code_for(client_id)
    other_verifier, _ = pkce_pair()
    response = flow.exchange(client_id, code, other_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_missing_verifier_is_refused(flow, client_id):
    code, _ = flow.code_for(client_id)
    response = flow.exchange(client_id, code, None)
    assert response.status_code == 400
    assert not Token.objects.filter(type=Token.Type.ACCESS_TOKEN).exists()


def test_code_is_single_use_and_its_reuse_revokes_the_connection(flow, client_id):
    code, verifier = flow.code_for(client_id)
    first = flow.exchange(client_id, code, verifier)
    assert first.status_code == 200
    again = flow.exchange(client_id, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    # A copy of the code was used: the tokens it gave go too.
    assert not Token.objects.filter(client_id=client_id).exists()
    assert not OAuthGrant.objects.filter(client_id=client_id).exists()
    event = AuditEvent.objects.get(action="oauth.grant_revoked")
    assert event.metadata["reason"] == "code_reused"


def test_failed_exchange_leaves_the_code_usable(flow, client_id):
    code, verifier = flow.code_for(client_id)
    other_verifier, _ = pkce_pair()
    assert flow.exchange(client_id, code, other_verifier).status_code == 400
    assert flow.exchange(client_id, code, verifier).status_code == 200


def test_code_being_exchanged_cannot_be_exchanged_again(flow, client_id):
    from accounts.oauth import services

    code, verifier = flow.code_for(client_id)
    assert services.code_exchange_begin(client_id=client_id, code=code)
    assert flow.exchange(client_id, code, verifier).status_code == 400
    assert not Token.objects.filter(client_id=client_id).exists()


def test_code_expires_within_a_minute(flow, client_id, settings):
    assert settings.IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN <= 60
    code, verifier = flow.code_for(client_id)
    from django.core.cache import cache

    cache.clear()  # what the code's timeout does
    assert flow.exchange(client_id, code, verifier).status_code == 400


def test_another_clients_code_is_refused(flow, client_id):
    code, verifier = flow.code_for(client_id)
    thief = flow.register(client_name="Thief")["client_id"]
    response = flow.exchange(thief, code, verifier)
    assert response.status_code == 400
    assert not Token.objects.filter(type=Token.Type.ACCESS_TOKEN).exists()


def test_exchange_with_another_redirect_uri_is_refused(flow, client_id):
    code, verifier = flow.code_for(client_id)
    response = flow.exchange(
        client_id, code, verifier, redirect_uri="https://host.example/other"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://host.example/callback/more",
        "https://host.example/callbac",
        "https://evil.example/callback",
        "http://host.example/callback",
        "https://host.example:8443/callback",
    ],
)
def test_unregistered_redirect_uri_is_refused_without_redirecting(
    flow, client_id, redirect_uri
):
    _, challenge = pkce_pair()
    response = flow.authorize(
        flow.authorize_params(client_id, challenge, redirect_uri=redirect_uri)
    )
    assert response.status_code != 302
    assert "form" not in (response.context or {})


def test_loopback_redirect_may_use_any_port(flow):
    registered = "http://127.0.0.1/callback"
    client_id = flow.register(redirect_uris=[registered])["client_id"]
    _, challenge = pkce_pair()
    response = flow.consent(
        flow.authorize_params(
            client_id, challenge, redirect_uri="http://127.0.0.1:53682/callback"
        )
    )
    assert response.status_code == 302
    assert response["Location"].startswith("http://127.0.0.1:53682/callback?code=")


@pytest.mark.parametrize(
    ("registered", "used"),
    [
        ("http://localhost/callback", "http://localhost:53682/callback"),
        ("http://localhost:3000/callback", "http://localhost:53682/callback"),
        ("http://[::1]/callback", "http://[::1]:53682/callback"),
    ],
)
def test_every_loopback_redirect_may_use_any_port(flow, registered, used):
    client_id = flow.register(redirect_uris=[registered])["client_id"]
    verifier, challenge = pkce_pair()
    response = flow.consent(
        flow.authorize_params(client_id, challenge, redirect_uri=used)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"{used}?code=")
    code = query_of(response)["code"]
    exchanged = flow.exchange(client_id, code, verifier, redirect_uri=used)
    assert exchanged.status_code == 200


@pytest.mark.parametrize(
    "used",
    [
        "http://localhost:53682/other",
        "https://localhost:53682/callback",
        "http://localhost.evil.example:53682/callback",
        "http://localhost:notaport/callback",
    ],
)
def test_localhost_differs_in_the_port_only(flow, used):
    client_id = flow.register(redirect_uris=["http://localhost/callback"])["client_id"]
    _, challenge = pkce_pair()
    response = flow.authorize(
        flow.authorize_params(client_id, challenge, redirect_uri=used)
    )
    assert response.status_code != 302
    assert "form" not in (response.context or {})


def test_prompt_none_is_refused(flow, client_id):
    flow.tokens(client_id)
    _, challenge = pkce_pair()
    response = flow.authorize(
        flow.authorize_params(client_id, challenge, prompt="none")
    )
    assert "code=" not in response.get("Location", "")


def test_consent_page_csp_lets_the_redirect_through(flow, client_id):
    _, challenge = pkce_pair()
    page = flow.authorize(flow.authorize_params(client_id, challenge))
    policy = page["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if "form-action" in d)
    assert "https://host.example" in form_action


def test_token_resource_must_be_mcp(flow, client_id):
    code, verifier = flow.code_for(client_id)
    response = flow.exchange(
        client_id, code, verifier, resource="https://elsewhere.example/mcp"
    )
    assert response.status_code == 400
    assert not Token.objects.filter(type=Token.Type.ACCESS_TOKEN).exists()


def test_token_resources_are_the_mcp_url_even_without_resource_at_exchange(
    flow, client_id
):
    code, verifier = flow.code_for(client_id)
    response = flow.exchange(client_id, code, verifier, resource=None)
    assert response.status_code == 200
    access = Token.objects.lookup(
        Token.Type.ACCESS_TOKEN, response.json()["access_token"]
    )
    assert access.get_resources() == [mcp_url()]
    assert OAuthGrant.objects.filter(client_id=client_id).exists()


@pytest.mark.parametrize("path", ["/identity/o/api/device/code", "/identity/o/device"])
def test_device_flow_is_not_offered(flow, path):
    data = {"client_id": "x", "resource": "https://e.example/x"}
    assert flow.browser.post(path, data).status_code == 404
    assert flow.api.post(path, data).status_code in (302, 404)


@pytest.mark.parametrize("response_type", ["token", "code token", "id_token"])
def test_only_the_code_response_type_is_served(flow, client_id, response_type):
    _, challenge = pkce_pair()
    response = flow.authorize(
        flow.authorize_params(client_id, challenge, response_type=response_type)
    )
    assert "access_token" not in response.get("Location", "")
    assert "code=" not in response.get("Location", "")
    assert "form" not in (response.context or {})


def test_unknown_client_gets_an_error_page_not_a_redirect(flow):
    _, challenge = pkce_pair()
    response = flow.authorize(flow.authorize_params("no-such-client", challenge))
    assert response.status_code != 302
    assert "form" not in (response.context or {})
