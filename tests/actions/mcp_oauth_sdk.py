"""The official MCP SDK's OAuth client (`mcp`, 2.3.0), driven from a test: given
nothing but `/mcp`'s URL on a live server it discovers, registers, and runs
authorization code + PKCE, the consent step posted here as the signed-in person
would in the browser the host opens."""

import asyncio
import html
import re
from urllib.parse import parse_qs, urlparse

import httpx
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

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        # A kept-alive connection would hold a live-server thread, and its database
        # connection, past the test (PostgreSQL then cannot drop the test database).
        self.browser.close()

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
