"""The notes are MCP tools: the official SDK's client on a live server creates and
lists notes, and another person sees none of them."""

import pytest

from tests.actions.mcp_sdk import over_http, token_of

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_sdk_creates_and_lists_notes(mcp_url, world):
    async def use(client):
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        created = await client.call_tool(
            "create-note", {"title": "from MCP", "body": "<p>hi</p>"}
        )
        listed = await client.call_tool("list-notes", {})
        return tools, created, listed

    tools, created, listed = over_http(mcp_url, token_of(world.alice), use)
    assert tools["delete-note"].annotations.destructive_hint is True
    assert tools["list-notes"].annotations.read_only_hint is True
    assert created.is_error is False
    assert created.structured_content["title"] == "from MCP"
    titles = {note["title"] for note in listed.structured_content["items"]}
    assert titles == {"alice's note", "from MCP"}


def test_another_person_sees_none_of_them(mcp_url, world):
    async def create(client):
        return await client.call_tool("create-note", {"title": "alice only"})

    over_http(mcp_url, token_of(world.alice), create)

    async def read(client):
        listed = await client.call_tool("list-notes", {})
        shared = await client.call_tool("list-shared-notes", {})
        return listed, shared

    listed, shared = over_http(mcp_url, token_of(world.bob), read)
    assert {n["title"] for n in listed.structured_content["items"]} == {"bob's note"}
    assert {n["title"] for n in shared.structured_content["items"]} == {
        "bob's shared note"
    }
