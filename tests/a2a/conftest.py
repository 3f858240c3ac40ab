import json
import uuid

import pytest

SECRET = "a2a-test-secret-that-is-long-enough-0123456789"


@pytest.fixture(autouse=True)
def a2a_settings(settings):
    settings.A2A_SECRET = SECRET
    settings.APP_URL = "http://testserver"


def rpc(
    client, method, params=None, *, token=None, headers=None, request_id="1", **extra
):
    """One JSON-RPC call to /a2a/; returns the response. `extra` goes to the WSGI
    environ (REMOTE_ADDR, say)."""
    all_headers = {"A2A-Version": "1.0", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    body = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        body["params"] = params
    return client.post(
        "/a2a/",
        json.dumps(body),
        content_type="application/json",
        headers=all_headers,
        **extra,
    )


def action_message(action: str, arguments: dict) -> dict:
    return {
        "message": {
            "messageId": uuid.uuid4().hex,
            "role": "ROLE_USER",
            "parts": [{"data": {"action": action, "arguments": arguments}}],
        }
    }
