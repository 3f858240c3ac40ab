"""Calling `/mcp` with Django's test client, one JSON-RPC message at a time."""

import json
import uuid

from django.test import Client

from accounts.services import api_token_create

VERSION = "2025-11-25"


def bearer(user, *, org_id=None) -> dict:
    """The Authorization header of a fresh personal token of `user`."""
    _, secret = api_token_create(
        user=user, name=f"mcp-{uuid.uuid4().hex[:12]}", org_id=org_id
    )
    return {"Authorization": f"Bearer {secret}"}


def post(body, *, headers=None, path="/mcp", client=None, **extra):
    """POST `body` (a JSON-able value, or bytes sent as they are) to `/mcp`."""
    raw = body if isinstance(body, bytes) else json.dumps(body)
    return (client or Client()).post(
        path,
        raw,
        content_type="application/json",
        headers={"Accept": "application/json, text/event-stream", **(headers or {})},
        **extra,
    )


def rpc(method, params=None, *, headers=None, request_id=1, version=VERSION, **kw):
    """One request; `version` goes in MCP-Protocol-Version (None: no header)."""
    message = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    all_headers = dict(headers or {})
    if version is not None:
        all_headers["MCP-Protocol-Version"] = version
    return post(message, headers=all_headers, **kw)


def call_tool(name, arguments=None, *, headers=None, **kw) -> dict:
    """`tools/call`'s result (asserting the exchange itself succeeded)."""
    params = {"name": name}
    if arguments is not None:
        params["arguments"] = arguments
    response = rpc("tools/call", params, headers=headers, **kw)
    assert response.status_code == 200, response.content
    return response.json()["result"]


def tool_names(headers) -> set[str]:
    response = rpc("tools/list", {}, headers=headers)
    assert response.status_code == 200, response.content
    return {tool["name"] for tool in response.json()["result"]["tools"]}
