"""The agent card and the JSON-RPC endpoint."""

import hashlib
import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from a2a import rpc
from a2a.card import agent_card
from a2a.identity import NotConfigured, identity_for
from a2a.tokens import TokenRefused
from actions.registry import Context
from scoping.scopes import scope

logger = logging.getLogger(__name__)

NOT_CONFIGURED = rpc.RpcError(rpc.AUTHENTICATION, "A2A authentication not configured")
REFUSED = rpc.RpcError(rpc.AUTHENTICATION, "Authentication required.", status=401)


def _rpc_response(body: dict, status: int = 200, headers=None) -> JsonResponse:
    return JsonResponse(body, status=status, headers=headers)


@login_not_required
@require_GET
def card(request):
    try:
        identity_for_card()
    except NotConfigured:
        return _rpc_response(rpc.error_body(None, NOT_CONFIGURED), status=503)
    document = json.dumps(agent_card(), sort_keys=True)
    etag = '"' + hashlib.sha256(document.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(document, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


def identity_for_card() -> None:
    """The card is public, but like every A2A URL it is off when A2A is."""
    if not settings.A2A_SECRET and not settings.DEBUG:
        raise NotConfigured()


@csrf_exempt
@login_not_required
@require_POST
def endpoint(request):
    try:
        identity = identity_for(request)
    except NotConfigured:
        return _rpc_response(rpc.error_body(None, NOT_CONFIGURED), status=503)
    except TokenRefused as error:
        logger.info("a2a: token refused (%s)", error)
        return _rpc_response(rpc.error_body(None, REFUSED), status=401)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        error = rpc.RpcError(rpc.PARSE_ERROR, "Parse error: the body is not JSON.")
        return _rpc_response(rpc.error_body(None, error))
    request_id = payload.get("id") if isinstance(payload, dict) else None
    try:
        method = _checked_request(payload)
        rpc.check_version(request.headers.get("A2A-Version"))
        ctx = Context(
            user=identity.user,
            org=identity.membership.org if identity.membership else None,
            membership=identity.membership,
            caller="a2a",
            request_id=getattr(request, "request_id", "-"),
            request=request,
            issuer=identity.issuer,
        )
        result = _in_scope(
            ctx, lambda: rpc.dispatch(method, payload.get("params"), ctx)
        )
    except rpc.RpcError as error:
        result = error
    if isinstance(result, rpc.RpcError):
        return _rpc_response(
            rpc.error_body(request_id, result),
            status=result.status,
            headers=result.headers,
        )
    return _rpc_response(rpc.result_body(request_id, result))


def _checked_request(payload) -> str:
    if (
        not isinstance(payload, dict)
        or payload.get("jsonrpc") != "2.0"
        or not isinstance(payload.get("method"), str)
        or not isinstance(payload.get("id", None), str | int | type(None))
    ):
        raise rpc.RpcError(rpc.INVALID_REQUEST, "Invalid JSON-RPC 2.0 request.")
    return payload["method"]


def _in_scope(ctx: Context, call):
    """Run `call` in the caller's scope; an RpcError comes back as the result, so the
    scope's transaction ends normally (the methods refuse before they write)."""
    if ctx.user is None:
        return call()
    with scope(owner_email=ctx.user.email, org_id=ctx.org.pk if ctx.org else None):
        try:
            return call()
        except rpc.RpcError as error:
            return error
