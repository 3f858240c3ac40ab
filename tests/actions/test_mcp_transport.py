"""/mcp speaks MCP over Streamable HTTP: JSON answers, stateless, protocol
revisions negotiated and checked, origins checked, bad bodies refused with 400."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.mcp.protocol import SUPPORTED_VERSIONS
from tests.actions.mcp_calls import bearer, post, rpc
from tests.strategies import json_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(world):
    return bearer(world.alice)


def initialize(version, headers, **kw):
    params = {
        "protocolVersion": version,
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    }
    return rpc("initialize", params, headers=headers, version=None, **kw)


@pytest.mark.parametrize("version", ["2025-06-18", "2025-11-25"])
def test_initialize_agrees_on_a_supported_revision(auth, version):
    response = initialize(version, auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    result = response.json()["result"]
    assert result["protocolVersion"] == version
    assert result["capabilities"] == {"tools": {"listChanged": False}}
    assert result["serverInfo"]["name"]


@pytest.mark.parametrize("version", ["2024-11-05", "2099-01-01", ""])
def test_initialize_offers_the_newest_for_an_unknown_revision(auth, version):
    result = initialize(version, auth).json()["result"]
    assert result["protocolVersion"] == SUPPORTED_VERSIONS[-1] == "2025-11-25"


def test_the_path_with_and_without_a_slash(auth):
    for path in ("/mcp", "/mcp/"):
        assert initialize("2025-11-25", auth, path=path).status_code == 200


def test_stateless_no_session_id_is_issued_or_needed(auth):
    assert "Mcp-Session-Id" not in initialize("2025-11-25", auth)
    # A later request stands alone: no session, no initialize before it.
    response = rpc("tools/list", {}, headers=auth)
    assert response.status_code == 200
    assert response.json()["result"]["tools"]


def test_a_notification_is_accepted_without_a_body(auth):
    message = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    response = post(message, headers=auth)
    assert (response.status_code, response.content) == (202, b"")


def test_ping(auth):
    assert rpc("ping", headers=auth).json() == {"jsonrpc": "2.0", "id": 1, "result": {}}


def test_the_request_id_comes_back_as_sent(auth):
    assert rpc("ping", headers=auth, request_id="abc").json()["id"] == "abc"


@pytest.mark.parametrize("method", ["get", "delete", "put"])
def test_no_stream_and_no_other_method(client, auth, method):
    response = getattr(client, method)("/mcp", headers=auth)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_an_unknown_method_is_a_json_rpc_error(auth):
    body = rpc("resources/list", {}, headers=auth).json()
    assert body["error"]["code"] == -32601


@pytest.mark.parametrize("version", ["2025-06-18", "2025-11-25", None])
def test_a_supported_or_absent_version_header_passes(auth, version):
    assert rpc("ping", headers=auth, version=version).status_code == 200


@pytest.mark.parametrize("version", ["2026-07-28", "2024-11-05", "nonsense"])
def test_an_unsupported_version_header_is_400(auth, version):
    response = rpc("tools/list", {}, headers=auth, version=version)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32022
    assert error["data"]["supported"] == list(SUPPORTED_VERSIONS)


def test_initialize_is_not_held_to_the_header(auth):
    # The header names the revision agreed on; initialize is where it is agreed.
    headers = {**auth, "MCP-Protocol-Version": "2026-07-28"}
    assert initialize("2025-06-18", headers).status_code == 200


def test_the_stateless_probe_is_told_which_revisions_to_use(auth):
    """The SDK's `server/discover` probe (2026-07-28): -32022 naming the handshake
    revisions, on which it falls back to initialize (see test_mcp_sdk)."""
    params = {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}
    for version in ("2026-07-28", None):
        response = rpc("server/discover", params, headers=auth, version=version)
        error = response.json()["error"]
        assert (response.status_code, error["code"]) == (400, -32022)
        assert error["data"] == {
            "supported": ["2025-06-18", "2025-11-25"],
            "requested": "2026-07-28",
        }


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),
        ("http://testserver", True),
        ("http://127.0.0.1:8000", True),  # APP_URL's
        ("https://host.example", True),  # listed
        ("https://evil.example", False),
        ("http://testserver.evil.example", False),
        ("null", False),
    ],
)
def test_origin_is_checked(settings, auth, origin, allowed):
    settings.APP_URL = "http://127.0.0.1:8000"
    settings.ACTIONS_MCP_ALLOWED_ORIGINS = ["https://host.example"]
    headers = {**auth, **({"Origin": origin} if origin else {})}
    response = rpc("ping", headers=headers)
    assert response.status_code == (200 if allowed else 403)


def test_a_refused_origin_is_refused_before_anything_else(settings):
    response = rpc("ping", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_a_batch_is_refused(auth):
    response = post([{"jsonrpc": "2.0", "id": 1, "method": "ping"}], headers=auth)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32600


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", -32700),
        (b"", -32700),
        (b"[" * 100_000, -32700),
        (b"\xff\xfe", -32700),
        (b"NaN", -32700),
        (b'"ping"', -32600),
        (b"42", -32600),
        (b"null", -32600),
        (b'{"jsonrpc": "1.0", "id": 1, "method": "ping"}', -32600),
        (b'{"id": 1, "method": "ping"}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "method": 7}', -32600),
        (b'{"jsonrpc": "2.0", "id": null, "method": "ping"}', -32600),
        (b'{"jsonrpc": "2.0", "id": true, "method": "ping"}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": [1]}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "result": {}}', -32600),
    ],
)
def test_a_malformed_message_is_a_400_json_rpc_error(auth, body, code):
    response = post(body, headers=auth)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    if code == -32700:
        assert response.json()["id"] is None


MESSAGES = st.fixed_dictionaries(
    {},
    optional={
        "jsonrpc": st.sampled_from(["2.0", "1.0"]) | json_values,
        "id": st.integers() | st.text(max_size=5) | json_values,
        "method": st.sampled_from(
            ["initialize", "ping", "tools/list", "tools/call", "notifications/x"]
        )
        | json_values,
        "params": st.fixed_dictionaries(
            {},
            optional={
                "name": st.sampled_from(["create-memo", "list-memos", "nope"])
                | json_values,
                "arguments": json_values,
                "protocolVersion": json_values,
            },
        )
        | json_values,
    },
)
BODIES = st.binary(max_size=60) | (MESSAGES | json_values).map(json.dumps).map(
    str.encode
)


@pytest.mark.slow
def test_no_body_makes_a_server_error(world, settings):
    settings.ACTIONS_DEFAULT_THROTTLE_RATE = "100000/min"
    headers = bearer(world.alice)
    client = Client(raise_request_exception=False)

    @hypothesis_settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(body=BODIES)
    def throw(body):
        response = post(body, headers=headers, client=client)
        assert response.status_code in (200, 202, 400), response.content
        if response.status_code != 202:
            assert response.json()["jsonrpc"] == "2.0"

    throw()


def test_cors_for_the_listed_origins_only(client, settings):
    settings.ACTIONS_MCP_ALLOWED_ORIGINS = ["https://host.example"]

    def preflight(origin, path="/mcp"):
        return client.options(
            path,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, mcp-protocol-version",
            },
        )

    allowed = preflight("https://host.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://host.example"
    assert "mcp-protocol-version" in allowed["Access-Control-Allow-Headers"]
    assert preflight("https://host.example", "/mcp/")["Access-Control-Allow-Origin"]
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example")
    # The list is /mcp's alone.
    assert "Access-Control-Allow-Origin" not in preflight("https://host.example", "/")


def test_the_server_names_itself_after_the_site(auth, settings):
    settings.SITE_NAME = "Acme Notes"
    info = initialize("2025-11-25", auth).json()["result"]["serverInfo"]
    assert (info["name"], info["title"]) == ("acme-notes", "Acme Notes")


def test_a_body_past_the_size_limit_is_a_400(auth, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client(raise_request_exception=False).post(
        "/mcp",
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping", "pad": "x" * 2000}),
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 400
