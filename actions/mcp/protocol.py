"""The protocol's fixed parts: revisions, error codes, and JSON-RPC envelopes."""

from dataclasses import dataclass

from config.jsonrpc import (
    INVALID_REQUEST,
    request_id_of,
)

# The revisions reached by the `initialize` handshake that this server speaks,
# oldest first; a client asking for another gets the newest (the spec's rule).
SUPPORTED_VERSIONS = ("2025-06-18", "2025-11-25")
LATEST_VERSION = SUPPORTED_VERSIONS[-1]
VERSION_HEADER = "MCP-Protocol-Version"

# The spec's code (2026-07-28) for a revision the server does not speak; its data
# names those it does, which lets the SDK's `server/discover` probe fall back to
# `initialize` at once.
UNSUPPORTED_PROTOCOL_VERSION = -32022


@dataclass
class McpError(Exception):
    """A JSON-RPC error answer; `status` and `headers` are its HTTP ones (stdio has
    neither)."""

    code: int
    message: str
    data: object = None
    status: int = 200
    headers: dict | None = None


def unsupported_version(requested: str, *, status: int = 400) -> McpError:
    return McpError(
        UNSUPPORTED_PROTOCOL_VERSION,
        f"MCP protocol version {requested!r} is not supported.",
        data={"supported": list(SUPPORTED_VERSIONS), "requested": requested},
        status=status,
    )


def check_version(version: str) -> None:
    """400 for a revision this server does not speak (-32022 naming those it does)."""
    if version.strip() not in SUPPORTED_VERSIONS:
        raise unsupported_version(version[:40])


def error_body(request_id, error: McpError) -> dict:
    body = {"code": error.code, "message": error.message}
    if error.data is not None:
        body["data"] = error.data
    return {"jsonrpc": "2.0", "id": request_id, "error": body}


def result_body(request_id, result: dict) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def checked_message(message) -> str:
    """The method of a well-formed JSON-RPC 2.0 request or notification; McpError
    (-32600, HTTP 400) for anything else: a batch (refused since 2025-06-18), a
    response, a value that is not an object, a wrong `jsonrpc` or id."""
    if isinstance(message, list):
        raise McpError(
            INVALID_REQUEST, "Batches are not supported; send one message.", status=400
        )
    if (
        not isinstance(message, dict)
        or message.get("jsonrpc") != "2.0"
        or not isinstance(message.get("method"), str)
        or ("id" in message and request_id_of(message) is None)
        or ("params" in message and not isinstance(message["params"], dict))
    ):
        raise McpError(INVALID_REQUEST, "Invalid JSON-RPC 2.0 request.", status=400)
    return message["method"]


def is_notification(message: dict) -> bool:
    return "id" not in message
