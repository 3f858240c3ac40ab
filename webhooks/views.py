"""`/webhooks/<provider>/`: verify the raw bytes, store, queue after commit, answer."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from webhooks import services
from webhooks.app_settings import app_settings
from webhooks.verifiers import VERIFIERS
from webhooks.verifiers.base import BadHandshake, Unverified, Verified

logger = logging.getLogger(__name__)

# The same answer for an unknown provider, one not configured, and a bad signature.
UNVERIFIED = {"error": {"code": "not_authenticated", "message": "Not verified."}}


def _unverified() -> JsonResponse:
    return JsonResponse(UNVERIFIED, status=401)


class BodyTooLarge(Exception):
    """The body is past the provider's limit (or its length unreadable): a 413."""


@csrf_exempt
@login_not_required
def receive(request, provider: str, secret: str | None = None):
    if request.method not in ("GET", "POST"):
        return _not_allowed("GET, POST")
    verifier = VERIFIERS.get(provider)
    if verifier is None or provider not in app_settings.PROVIDERS:
        return _unverified()
    if request.method == "GET":
        return verifier.handshake(request) or _not_allowed("POST")
    try:
        verified = _verify(request, verifier)
    except Unverified as error:
        logger.info("webhook %s refused: %s", provider, error)
        return _unverified()
    except BodyTooLarge:
        return _error(413, "invalid_input", "The body is too large.")
    except BadHandshake as error:
        return _error(400, "invalid_input", str(error))
    if verified.response is not None:
        return verified.response
    headers = {
        name: request.headers[name]
        for name in verifier.kept_headers
        if name in request.headers
    }
    stored = services.events_store(
        provider=provider, events=verified.events, headers=headers
    )
    return JsonResponse({"received": len(verified.events), "new": len(stored)})


def _verify(request, verifier) -> Verified:
    """The credentials that need no body first, then the body, read once."""
    if not verifier.is_configured() and app_settings.ALLOW_UNVERIFIED:
        # Local development only: startup refuses this setting unless DEBUG.
        body = _read_body(request, verifier.max_body_bytes)
        return Verified(events=[services.unverified_event(verifier, body)])
    verifier.check_credentials(request)
    return verifier.verify(request, _read_body(request, verifier.max_body_bytes))


def _read_body(request, limit: int) -> bytes:
    """The raw body, read once, before anything parses it; BodyTooLarge past the
    limit."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        raise BodyTooLarge from None
    if declared > limit:
        raise BodyTooLarge
    if declared <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        body = request.body
    else:
        # Within this provider's limit but past Django's (2.5 MB by default), which
        # `request.body` would answer with an HTML 400, and the provider retry for
        # days. Read it here and keep it where `request.body`/`request.POST` look.
        body = request.read(limit + 1)
        request._body = body
    if len(body) > limit:
        raise BodyTooLarge
    return body


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _not_allowed(allow: str) -> JsonResponse:
    response = _error(405, "method_not_allowed", f"Use {allow.replace(', ', ' or ')}.")
    response["Allow"] = allow
    return response
