"""The official MCP SDK's client against a live server: it connects (its
`server/discover` probe falls back to `initialize`), lists the tools, calls them,
and each person sees only their own rows."""

import pytest
from mcp.shared.exceptions import MCPError

from tests.actions.mcp_sdk import over_http, token_of

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


async def session(client):
    tools = await client.list_tools()
    created = await client.call_tool("create-memo", {"title": "from the SDK"})
    listed = await client.call_tool("list-memos", {})
    refused = await client.call_tool("create-memo", {"title": ""})
    return {
        "version": client.protocol_version,
        "server": client.server_info.name,
        "tools": {tool.name: tool for tool in tools.tools},
        "created": created,
        "listed": listed,
        "refused": refused,
    }


def test_the_sdk_connects_lists_and_calls(mcp_url, world):
    got = over_http(mcp_url, token_of(world.alice), session)
    assert got["version"] == "2025-11-25"
    tool = got["tools"]["create-memo"]
    assert tool.input_schema["properties"]["title"]["type"] == "string"
    assert got["tools"]["list-memos"].annotations.read_only_hint is True
    created = got["created"]
    assert created.is_error is False
    assert created.structured_content["title"] == "from the SDK"
    assert created.structured_content["owner_email"] == world.alice.email
    titles = {m["title"] for m in got["listed"].structured_content["items"]}
    assert titles == {"alice's memo", "from the SDK"}
    assert got["refused"].is_error is True
    assert "This field may not be blank." in got["refused"].content[0].text


def test_a_second_user_sees_none_of_the_firsts_data(mcp_url, world):
    over_http(mcp_url, token_of(world.alice), session)

    async def bobs(client):
        return await client.call_tool("list-memos", {})

    listed = over_http(mcp_url, token_of(world.bob), bobs)
    assert {m["title"] for m in listed.structured_content["items"]} == {"bob's memo"}


def test_the_sdk_is_refused_without_a_valid_token(mcp_url, world):
    async def connect(client):  # pragma: no cover - it does not get this far
        return client

    # The SDK raises it from its transport's task group.
    with pytest.raises(ExceptionGroup) as raised:
        over_http(mcp_url, "pat_wrong", connect)
    assert raised.group_contains(MCPError, match="Authentication required")


def test_the_sdks_stateless_probe_is_named_the_revisions_to_fall_back_to(
    mcp_url, world
):
    """What the SDK's auto mode reads before it falls back to initialize: -32022
    whose data names only handshake revisions (mcp/client/_probe.py)."""

    async def probe(client):
        try:
            await client.session.send_discover("2026-07-28")
        except MCPError as error:
            return error.code, error.error.data
        return None  # pragma: no cover - it is refused

    code, data = over_http(mcp_url, token_of(world.alice), probe)
    assert code == -32022
    assert data == {
        "supported": ["2025-06-18", "2025-11-25"],
        "requested": "2026-07-28",
    }
