"""The official MCP SDK's client (`mcp`, 2.3.0), driven from a test: over
Streamable HTTP against a live server, or over stdio against `manage.py mcp`.

The project's server is `actions.mcp`, so `import mcp` is the SDK's."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from accounts.services import api_token_create


def token_of(user) -> str:
    """A fresh personal token of `user`."""
    return api_token_create(user=user, name=f"sdk-{uuid.uuid4().hex[:8]}")[1]


def over_http[T](url: str, token: str, use: Callable[[Client], Awaitable[T]]) -> T:
    """`use(client)` with a client connected to `url` in the SDK's default (auto)
    mode, sending `Authorization: Bearer <token>`."""

    async def run():
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with http, Client(streamable_http_client(url, http_client=http)) as c:
            return await use(c)

    return asyncio.run(run())


def over_stdio[T](
    params: StdioServerParameters, use: Callable[[Client], Awaitable[T]]
) -> T:
    """`use(client)` with a client that started `params` and speaks on its stdio."""

    async def run():
        async with Client(params, read_timeout_seconds=60) as client:
            return await use(client)

    return asyncio.run(run())
