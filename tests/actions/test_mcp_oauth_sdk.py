"""The official MCP SDK's OAuth client against a live server, given nothing but the
URL: it is refused with a challenge, discovers the protected-resource and
authorization-server metadata, registers itself, runs authorization code + PKCE
(the consent step driven here as the signed-in person would), calls tools, refreshes
its token, and sees only its user's rows in the org granted; a revoked connection
stops at once."""

import time

import httpx
import pytest

from accounts.oauth.models import OAuthGrant
from tests.actions.mcp_oauth_sdk import MemoryStorage, Person, connected

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _titles(result) -> set[str]:
    assert result.is_error is False, result.content
    return {memo["title"] for memo in result.structured_content["items"]}


def test_the_sdk_connects_with_the_url_alone(mcp_url, live_server, world, request):
    alice = Person(world.alice, live_server.url)
    request.addfinalizer(alice.browser.close)
    storage = MemoryStorage()

    async def work(client, provider):
        tools = {tool.name for tool in (await client.list_tools()).tools}
        created = await client.call_tool("create-memo", {"title": "via oauth"})
        first = await client.call_tool("list-memos", {})
        # The access token runs out: the SDK refreshes it before the next call.
        before = storage.tokens
        provider.context.token_expiry_time = time.time() - 1
        after_refresh = await client.call_tool("list-memos", {})
        return tools, created, first, before, after_refresh

    tools, created, first, before, after_refresh = connected(
        mcp_url, alice, storage, work
    )
    # One consent, naming the app, its return host and the org it acts in.
    assert len(alice.consent_pages) == 1
    page = alice.consent_pages[0]
    assert "SDK host" in page
    assert "127.0.0.1" in page
    assert "Acme" in page
    assert {"create-memo", "list-memos"} <= tools
    assert created.structured_content["owner_email"] == world.alice.email
    assert _titles(first) == {"alice's memo", "via oauth"}
    # Refreshed: a new access token and a rotated refresh token, still working.
    assert storage.tokens.access_token != before.access_token
    assert storage.tokens.refresh_token != before.refresh_token
    assert _titles(after_refresh) == {"alice's memo", "via oauth"}
    grant = OAuthGrant.objects.get(user=world.alice)
    assert grant.org_id == world.acme.pk

    # A second person's connection sees none of it.
    async def bobs(client, provider):
        return await client.call_tool("list-memos", {})

    with Person(world.bob, live_server.url) as bob:
        bobs_memos = _titles(connected(mcp_url, bob, MemoryStorage(), bobs))
    assert bobs_memos == {"bob's memo"}

    # Disconnected from /account/: the very next call with the token is refused.
    access_token = storage.tokens.access_token
    assert alice.browser.get("/account/").status_code == 200
    disconnect = alice.browser.post(
        f"/account/apps/{grant.pk}/disconnect/",
        data={"csrfmiddlewaretoken": alice.browser.cookies["csrftoken"]},
        headers={"Referer": live_server.url + "/account/"},
    )
    assert disconnect.status_code == 302, disconnect.text
    refused = httpx.post(
        mcp_url,
        json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={
            "Authorization": f"Bearer {access_token}",
            "Accept": "application/json, text/event-stream",
        },
    )
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
