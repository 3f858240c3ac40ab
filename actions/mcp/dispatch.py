"""One JSON-RPC message in, its answer out: the MCP server itself, for every
transport (`actions.mcp.views` over HTTP, `manage.py mcp` over stdio).

Methods: `initialize`, `ping`, `tools/list`, `tools/call`; notifications are taken
and not answered. Tools run through the one runner (`actions.runner.execute`) in the
Context the one function builds (`orgs.context.caller_context`, caller kind MCP).
"""

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from accounts.authentication import Credential
from actions import runner
from actions.mcp import protocol, tools
from actions.mcp.authentication import insufficient_scope
from actions.mcp.protocol import McpError
from config import jsonrpc
from config.context import MCP, in_call_transaction
from config.errors import ApplicationError, error_body
from orgs.context import caller_context
from scoping.read_only import writes_refused

SERVER_VERSION = "1.0.0"
INSTRUCTIONS = (
    "Each tool is one of this app's actions, run as the signed-in person in their "
    "organization. A failed call returns isError with the error envelope: "
    '{"error": {"code", "message", "fields"}}.'
)


@dataclass(frozen=True)
class Caller:
    """Whom a connection's calls run for: the credential's user in its org (or in
    the one `org_ref` names: X-Org, --org), from `request` when there is one."""

    user: Any
    credential: Credential
    request: Any = None
    org_ref: str | None = None

    def context(self, *, one_action: bool = False):
        return caller_context(
            user=self.user,
            caller=MCP,
            request=self.request,
            org_ref=self.org_ref,
            bound_org_id=self.credential.bound_org_id,
            membership=self.credential.membership,
            issuer=self.credential.issuer,
            one_action=one_action,
        )


@dataclass
class Answer:
    """What to send back: a JSON-RPC body (None for a notification) and, over HTTP,
    its status and headers."""

    body: dict | None
    status: int = 200
    headers: dict | None = None


def answer(message, caller: Caller, *, version: str | None = None) -> Answer:
    """The answer to one decoded JSON-RPC message from `caller`. `version` is the
    revision the client says it speaks (HTTP's MCP-Protocol-Version header), checked
    on every message after `initialize`. A request without the header is taken:
    with no session nothing else says the revision, and the spec's guess for it
    (2025-03-26) differs from ours in nothing this server offers."""
    request_id = protocol.request_id_of(message)
    try:
        method = protocol.checked_message(message)
        if version is not None and method != "initialize":
            protocol.check_version(version)
        if protocol.is_notification(message):
            return Answer(None, status=202)
        handler = _METHODS.get(method)
        if handler is None:
            raise McpError(jsonrpc.METHOD_NOT_FOUND, f"Method not found: {method}")
        result = handler(message.get("params") or {}, caller)
    except McpError as error:
        body = protocol.error_body(request_id, error)
        return Answer(body, status=error.status, headers=error.headers)
    return Answer(protocol.result_body(request_id, result))


def negotiated_version(requested) -> str:
    """The revision to speak: the client's when this server has it, else the newest
    this server has (the client then decides whether it can go on)."""
    if requested in protocol.SUPPORTED_VERSIONS:
        return requested
    return protocol.LATEST_VERSION


def _initialize(params: dict, caller: Caller) -> dict:
    return {
        "protocolVersion": negotiated_version(params.get("protocolVersion")),
        "capabilities": {"tools": {"listChanged": False}},
        "serverInfo": {
            "name": slugify(settings.SITE_NAME) or "app",
            "title": settings.SITE_NAME,
            "version": SERVER_VERSION,
        },
        "instructions": INSTRUCTIONS,
    }


def _ping(params: dict, caller: Caller) -> dict:
    return {}


def _discover(params: dict, caller: Caller) -> dict:
    """`server/discover` opens the stateless revisions (2026-07-28) this server does
    not speak: -32022 names those it does, and the SDK's client goes on with
    `initialize`."""
    meta = params.get("_meta")
    requested = meta.get("io.modelcontextprotocol/protocolVersion") if meta else None
    raise protocol.unsupported_version(str(requested or ""))


def _list_tools(params: dict, caller: Caller) -> dict:
    with _entered(caller) as ctx:
        return {"tools": tools.tools_for(ctx, caller.credential.scopes)}


def _call_tool(params: dict, caller: Caller) -> dict:
    action = tools.tool_action(params.get("name"))
    if action is None:
        raise McpError(
            jsonrpc.INVALID_PARAMS, f"Unknown tool: {str(params.get('name'))[:100]}"
        )
    arguments = params.get("arguments", {})
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        raise McpError(jsonrpc.INVALID_PARAMS, "Tool arguments must be an object.")
    if not tools.permits(caller.credential.scopes, action):
        raise insufficient_scope(tools.required_scope(action))
    with (
        _entered(caller, one_action=True) as ctx,
        _as_granted(caller.credential.scopes),
    ):
        try:
            return tools.success(action, runner.execute(action, ctx, arguments))
        except ApplicationError as error:
            # The runner rolled the call back and records it once the call's
            # transaction has ended; the model reads what went wrong.
            return tools.failure(error)


def _as_granted(scopes: frozenset[str] | None):
    """A grant that may only read runs in a transaction the database keeps from
    writing, whatever the check above it let through: when the transaction is the
    call's own (over HTTP, always); one a caller opened around it is not this
    call's to make read-only."""
    if scopes is not None and not tools.may_write(scopes) and in_call_transaction():
        return writes_refused()
    return nullcontext()


class _entered:
    """The caller's Context for one request; an org the caller may not act in
    (X-Org, --org) is a JSON-RPC error with the API's status, not a tool result."""

    def __init__(self, caller: Caller, *, one_action: bool = False):
        self._manager = caller.context(one_action=one_action)

    def __enter__(self):
        try:
            return self._manager.__enter__()
        except ApplicationError as error:
            raise McpError(
                jsonrpc.SERVER_ERROR,
                error.message,
                data=error_body(error),
                status=int(error.status),
            ) from None

    def __exit__(self, *exc_info):
        return self._manager.__exit__(*exc_info)


_METHODS = {
    "initialize": _initialize,
    "ping": _ping,
    "server/discover": _discover,
    "tools/list": _list_tools,
    "tools/call": _call_tool,
}
