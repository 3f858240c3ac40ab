"""The official MCP SDK's OAuth client against a live server, given nothing but the
URL: it is refused with a challenge, discovers the protected-resource and
authorization-server metadata, registers itself, runs authorization code + PKCE
(the consent step driven here as the signed-in person would), calls tools, refreshes
its token, and sees only its user's rows in the org granted; a revoked connection
stops at once."""

import asyncio
import html
import re
import time
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from django.test import Client as DjangoClient
from mcp.client.auth import OAuthClientProvider
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.auth import (
    AuthorizationCodeResult,
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthToken,
)

from accounts.oauth.models import OAuthGrant

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REDIRECT_URI = "http://127.0.0.1:33418/callback"


class MemoryStorage:
    """The SDK's TokenStorage, in memory: what a host keeps between connections."""

    def __init__(self):
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info):
        self.client_info = client_info


class Person:
    """The signed-in person in the browser the host opens: reads the consent page,
    grants it, and hands the redirect's code back to the host."""

    def __init__(self, user, base_url: str):
        django_client = DjangoClient()
        django_client.force_login(user)
        self.browser = httpx.Client(base_url=base_url)
        self.browser.cookies.update(
            {name: morsel.value for name, morsel in django_client.cookies.items()}
        )
        self.redirect: dict | None = None
        self.consent_pages: list[str] = []

    async def open(self, authorization_url: str) -> None:
        page = self.browser.get(authorization_url)
        assert page.status_code == 200, page.text
        self.consent_pages.append(page.text)
        data = {
            "csrfmiddlewaretoken": _value(page.text, "csrfmiddlewaretoken"),
            "request": _value(page.text, "request"),
            "org": _value(page.text, "org"),
            "scopes": re.findall(r'name="scopes" value="([^"]+)"', page.text),
            "action": "grant",
        }
        granted = self.browser.post(
            "/identity/o/authorize",
            data=data,
            headers={"Referer": str(page.url)},
        )
        assert granted.status_code == 302, granted.text
        location = granted.headers["Location"]
        assert location.startswith(REDIRECT_URI)
        self.redirect = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}

    async def callback(self) -> AuthorizationCodeResult:
        return AuthorizationCodeResult(
            code=self.redirect["code"],
            state=self.redirect.get("state"),
            iss=self.redirect.get("iss"),
        )


def _value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} in the consent page"
    return html.unescape(found.group(1))


def connected[T](url: str, person: Person, storage: MemoryStorage, use) -> T:
    """`use(client, provider)` with the SDK's client connected to `url` with
    nothing but its OAuth provider."""
    provider = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(
            client_name="SDK host",
            redirect_uris=[REDIRECT_URI],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
            scope="mcp:read mcp:write",
        ),
        storage=storage,
        redirect_handler=person.open,
        callback_handler=person.callback,
    )

    async def run():
        http = create_mcp_http_client(auth=provider)
        async with http, Client(streamable_http_client(url, http_client=http)) as c:
            return await use(c, provider)

    return asyncio.run(run())


def _titles(result) -> set[str]:
    assert result.is_error is False, result.content
    return {memo["title"] for memo in result.structured_content["items"]}


def test_the_sdk_connects_with_the_url_alone(mcp_url, live_server, world):
    alice = Person(world.alice, live_server.url)
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
    bob = Person(world.bob, live_server.url)

    async def bobs(client, provider):
        return await client.call_tool("list-memos", {})

    assert _titles(connected(mcp_url, bob, MemoryStorage(), bobs)) == {"bob's memo"}

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
