"""The notes are MCP tools: the official SDK's client on a live server creates and
lists notes, and another person sees none of them."""

import pytest

from tests.actions.mcp_oauth_sdk import MemoryStorage, Person, connected
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


def test_an_oauth_connection_with_the_url_alone_creates_and_lists_notes(
    mcp_url, live_server, world
):
    """The issue's proof, with the example's own tools: the SDK's OAuth client,
    granted by Alice for Acme, writes and reads her notes and nobody else's."""

    async def use(client, provider):
        created = await client.call_tool("create-note", {"title": "via oauth"})
        listed = await client.call_tool("list-notes", {})
        return created, listed

    with Person(world.alice, live_server.url) as alice:
        created, listed = connected(mcp_url, alice, MemoryStorage(), use)
    assert created.is_error is False
    assert created.structured_content["owner_email"] == world.alice.email
    titles = {note["title"] for note in listed.structured_content["items"]}
    # Hers only: not Carol's (same org) nor Bob's (another org).
    assert titles == {"alice's note", "via oauth"}

    async def read(client, provider):
        return await client.call_tool("list-notes", {})

    with Person(world.carol, live_server.url) as carol:
        theirs = connected(mcp_url, carol, MemoryStorage(), read)
    assert {note["title"] for note in theirs.structured_content["items"]} == {
        "carol's note"
    }
