"""Dynamic client registration (RFC 7591): open to public clients, rate limited,
limited to the MCP scopes and the code + refresh grants."""

import json

import pytest
from allauth.idp.oidc.models import Client

from .conftest import REGISTER_URL


def _register(client, ip="127.0.0.1", **body):
    payload = {"redirect_uris": ["https://host.example/callback"], **body}
    return client.post(
        REGISTER_URL,
        json.dumps(payload),
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_public_client_registers_without_an_initial_token(client, db):
    response = _register(
        client, client_name="Claude", token_endpoint_auth_method="none"
    )
    assert response.status_code == 201
    data = response.json()
    assert "client_secret" not in data
    assert set(data["scope"].split()) == {"mcp:read", "mcp:write"}
    assert set(data["grant_types"]) == {"authorization_code", "refresh_token"}
    stored = Client.objects.get(id=data["client_id"])
    assert stored.type == Client.Type.PUBLIC
    assert not stored.skip_consent


def test_asked_scopes_are_replaced_by_the_mcp_scopes(client, db):
    response = _register(
        client, token_endpoint_auth_method="none", scope="openid email admin"
    )
    assert set(response.json()["scope"].split()) == {"mcp:read", "mcp:write"}


@pytest.mark.parametrize(
    "body",
    [
        {"grant_types": ["client_credentials"]},
        {"grant_types": ["urn:ietf:params:oauth:grant-type:device_code"]},
        {"response_types": ["token"]},
    ],
)
def test_other_grants_are_refused(client, db, body):
    response = _register(client, token_endpoint_auth_method="none", **body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert not Client.objects.exists()


def test_registrations_from_one_address_are_rate_limited(client, db):
    # allauth's "client_registration" limit: 3 a minute per IP.
    for _ in range(3):
        assert _register(client, token_endpoint_auth_method="none").status_code == 201
    refused = _register(client, token_endpoint_auth_method="none")
    assert refused.status_code == 429
    assert Client.objects.count() == 3
    other = _register(client, ip="203.0.113.9", token_endpoint_auth_method="none")
    assert other.status_code == 201


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "file:///etc/passwd",
        "http://host.example/callback",
        "https://host.example/callback#frag",
        "https:///callback",
        "/callback",
        "http://localhost:port/callback",
    ],
)
def test_unsafe_redirect_uris_are_refused(client, db, uri):
    response = _register(client, token_endpoint_auth_method="none", redirect_uris=[uri])
    assert response.status_code == 400
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    "uri",
    [
        "https://claude.ai/api/mcp/auth_callback",
        "http://127.0.0.1:33418/callback",
        "http://localhost/callback",
        "http://[::1]/callback",
        "cursor://anysphere.cursor-retrieval/oauth/callback",
    ],
)
def test_hosts_redirect_uris_are_accepted(client, db, uri):
    response = _register(client, token_endpoint_auth_method="none", redirect_uris=[uri])
    assert response.status_code == 201
