"""The agent card and the JSON-RPC endpoint."""

import hashlib
import json
import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt

from a2a import rpc
from a2a.app_settings import app_settings
from a2a.card import agent_card
from a2a.identity import NotConfigured, identity_for
from a2a.tokens import TokenRefused
from accounts.auth_failures import note_failure
from accounts.bearer import bearer_token
from config.context import A2A
from config.errors import MethodNotAllowed, Throttled, error_response
from config.jsonbody import JsonBodyError, loads_bounded
from config.jsonrpc import PARSE_ERROR, request_id_of
from orgs.context import caller_context

logger = logging.getLogger(__name__)

NOT_CONFIGURED = rpc.RpcError(
    rpc.AUTHENTICATION,
    "A2A authentication not configured",
    reason="NOT_CONFIGURED",
    status=503,
)


def _rpc_response(body: dict, status: int = 200, headers=None) -> JsonResponse:
    return JsonResponse(body, status=status, headers=headers)


def _only(*methods: str):
    """Django's require_http_methods, but the 405 says why in the API's envelope
    (JSON like every other answer here), with `Allow`."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.method not in methods:
                response = error_response(
                    MethodNotAllowed(f"Use {' or '.join(methods)} here.")
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return checked

    return decorator


@login_not_required
@_only("GET", "HEAD")
def card(request):
    try:
        identity_for_card()
    except NotConfigured:
        return _error_response(None, NOT_CONFIGURED)
    document = json.dumps(agent_card(), sort_keys=True)
    response = HttpResponse(document, content_type="application/json")
    response["ETag"] = '"' + hashlib.sha256(document.encode()).hexdigest()[:32] + '"'
    response["Cache-Control"] = "public, max-age=300"
    # Django's RFC 9110 evaluation: If-None-Match compares weakly (W/"…" matches),
    # takes a list of tags, and `*`; a match is a 304 with the same ETag.
    return get_conditional_response(request, etag=response["ETag"], response=response)


def identity_for_card() -> None:
    """The card is public, but like every A2A URL it is off when A2A is."""
    if not app_settings.SECRET and not settings.DEBUG:
        raise NotConfigured()


@csrf_exempt
@login_not_required
@_only("POST")
def endpoint(request):
    try:
        identity = identity_for(request)
    except NotConfigured:
        return _error_response(None, NOT_CONFIGURED)
    except TokenRefused as error:
        logger.info("a2a: token refused (%s)", error)
        return _error_response(None, _refused(request))
    try:
        # Bounded: 100 000 `[` are a parse error, not a RecursionError.
        payload = loads_bounded(request.body)
    except JsonBodyError as error:
        # 400 as for the actions API: no JSON-RPC client sends such a body, and
        # the error object still says -32700 for those that read it.
        parse_error = rpc.RpcError(PARSE_ERROR, str(error), status=400)
        return _error_response(None, parse_error)
    request_id = request_id_of(payload)
    try:
        method = _checked_request(payload)
        rpc.check_version(request.headers.get("A2A-Version"))
        with caller_context(
            user=identity.user,
            caller=A2A,
            request=request,
            bound_org_id=identity.bound_org_id,
            membership=identity.membership,
            issuer=identity.issuer,
        ) as ctx:
            # An RpcError comes back as the result, so the scope's transaction ends
            # normally (the methods refuse before they write).
            try:
                result = rpc.dispatch(method, payload.get("params"), ctx)
            except rpc.RpcError as error:
                result = error
    except rpc.RpcError as error:
        result = error
    if isinstance(result, rpc.RpcError):
        return _error_response(request_id, result)
    return _rpc_response(rpc.result_body(request_id, result))


def _refused(request) -> rpc.RpcError:
    """401 for a refused identity; 429 once the client's address has failed too
    often (counted only when a token was sent: a missing one guesses nothing)."""
    presented = bool(bearer_token(request))
    if presented:
        try:
            note_failure(request, kind="a2a")
        except Throttled as throttled:
            return rpc.rate_limited(throttled)
    return rpc.unauthenticated(token_refused=presented)


def _error_response(request_id, error: rpc.RpcError) -> JsonResponse:
    return _rpc_response(
        rpc.error_body(request_id, error), status=error.status, headers=error.headers
    )


def _checked_request(payload) -> str:
    if (
        not isinstance(payload, dict)
        or payload.get("jsonrpc") != "2.0"
        or not isinstance(payload.get("method"), str)
        or (payload.get("id") is not None and request_id_of(payload) is None)
    ):
        raise rpc.RpcError(rpc.INVALID_REQUEST, "Invalid JSON-RPC 2.0 request.")
    return payload["method"]
