"""Discovery: RFC 8414 server metadata and RFC 9728 protected resource metadata,
readable from any origin."""

import pytest

from accounts.oauth.resource import mcp_url


@pytest.fixture
def metadata(client, db):
    response = client.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    return response


def test_server_metadata_lists_endpoints_and_what_mcp_needs(metadata, settings):
    data = metadata.json()
    assert data["issuer"] == settings.APP_URL
    for endpoint in (
        "authorization_endpoint",
        "token_endpoint",
        "registration_endpoint",
        "revocation_endpoint",
        "jwks_uri",
    ):
        assert data[endpoint].startswith("http"), endpoint
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert {"mcp:read", "mcp:write"} <= set(data["scopes_supported"])
    assert set(data["grant_types_supported"]) == {
        "authorization_code",
        "refresh_token",
    }
    assert data["response_types_supported"] == ["code"]
    assert "none" in data["token_endpoint_auth_methods_supported"]
    assert "device_authorization_endpoint" not in data


@pytest.mark.parametrize(
    "path",
    [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
    ],
)
def test_protected_resource_metadata_names_mcp_and_the_server(
    client, db, path, settings
):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["resource"] == mcp_url() == f"{settings.APP_URL}/mcp"
    assert data["authorization_servers"] == [settings.APP_URL]
    assert set(data["scopes_supported"]) == {"mcp:read", "mcp:write"}
    assert data["bearer_methods_supported"] == ["header"]


def test_metadata_answers_cors_and_its_preflight(client, metadata):
    assert metadata["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/.well-known/oauth-authorization-server",
        headers={
            "Origin": "https://claude.ai",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "mcp-protocol-version",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "mcp-protocol-version" in preflight["Access-Control-Allow-Headers"]


def test_jwks_publishes_the_signing_key(client, db):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA"
