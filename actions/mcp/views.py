"""`/mcp`: MCP over Streamable HTTP, answered in JSON (no SSE), stateless.

Every POST carries one JSON-RPC message and its bearer credential; no session is
kept between them (no `Mcp-Session-Id`), so any process can answer any request. A
GET would open a stream of server messages, which this server never sends: 405.
"""

from contextlib import suppress
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from actions.app_settings import app_settings
from actions.mcp import protocol
from actions.mcp.authentication import authenticate
from actions.mcp.dispatch import Answer, Caller, answer
from actions.mcp.protocol import McpError
from config import jsonrpc
from config.api import ORG_HEADER
from config.jsonbody import JsonBodyError, loads_bounded

ALLOW = "POST"


@csrf_exempt  # a bearer-token API: no cookie acts for the caller
@login_not_required
def endpoint(request):
    if not _origin_allowed(request):
        # Against DNS rebinding: a page elsewhere must not reach a local server.
        return _respond(
            _error(McpError(jsonrpc.INVALID_REQUEST, "Origin refused.", status=403))
        )
    if request.method != "POST":
        refused = McpError(
            jsonrpc.INVALID_REQUEST,
            "POST one JSON-RPC message; this server opens no stream.",
            status=405,
            headers={"Allow": ALLOW},
        )
        return _respond(_error(refused))
    try:
        user, credential = authenticate(request)
        message = _decoded(request.body)
    except McpError as error:
        return _respond(_error(error))
    caller = Caller(
        user=user,
        credential=credential,
        request=request,
        org_ref=request.headers.get(ORG_HEADER) or None,
    )
    version = request.headers.get(protocol.VERSION_HEADER)
    return _respond(answer(message, caller, version=version))


def _decoded(body: bytes):
    try:
        # Bounded: 100 000 `[` are a parse error, not a RecursionError.
        return loads_bounded(body)
    except JsonBodyError as error:
        raise McpError(jsonrpc.PARSE_ERROR, str(error), status=400) from None


def cors_allowed(sender, request, **kwargs) -> bool:
    """django-cors-headers' question (`check_request_enabled`): may this request's
    origin read `/mcp` from a browser? Only an origin listed for MCP may (the app's
    own needs no CORS)."""
    if request.path_info.rstrip("/") != "/mcp":
        return False
    origin = request.headers.get("Origin", "").strip().lower().rstrip("/")
    return origin in {_origin_of(o) for o in app_settings.MCP_ALLOWED_ORIGINS}


def _origin_allowed(request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = {_origin_of(settings.APP_URL)}
    allowed.update(_origin_of(o) for o in app_settings.MCP_ALLOWED_ORIGINS)
    with suppress(DisallowedHost):
        allowed.add(f"{request.scheme}://{request.get_host()}".lower())
    return origin.strip().lower().rstrip("/") in allowed


def _origin_of(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower()


def _error(error: McpError) -> Answer:
    return Answer(
        protocol.error_body(None, error), status=error.status, headers=error.headers
    )


def _respond(reply: Answer) -> HttpResponse:
    if reply.body is None:
        return HttpResponse(status=reply.status, headers=reply.headers)
    return JsonResponse(reply.body, status=reply.status, headers=reply.headers)
