"""What every JSON-RPC 2.0 endpoint here shares (`/a2a/`, `/mcp`): the standard
error codes and the reading of a request's id."""

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
# Implementation-defined server error: this template's refusals that HTTP states by
# its status (401, 403, 404, 429), told apart by that status.
SERVER_ERROR = -32000


def request_id_of(message):
    """The message's id if it is one JSON-RPC allows (a string or an integer; a
    boolean is neither), else None."""
    request_id = message.get("id") if isinstance(message, dict) else None
    if isinstance(request_id, str | int) and not isinstance(request_id, bool):
        return request_id
    return None
