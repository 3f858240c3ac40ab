"""`/webhooks/<provider>/`: verify the raw bytes, store, queue after commit, answer."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from webhooks import services
from webhooks.verifiers import VERIFIERS
from webhooks.verifiers.base import Unverified, Verified

logger = logging.getLogger(__name__)

# The same answer for an unknown provider, one not configured, and a bad signature.
UNVERIFIED = {"error": {"code": "not_authenticated", "message": "Not verified."}}


def _unverified() -> JsonResponse:
    return JsonResponse(UNVERIFIED, status=401)


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def receive(request, provider: str, secret: str | None = None):
    verifier = VERIFIERS.get(provider)
    if verifier is None or provider not in settings.WEBHOOK_PROVIDERS:
        return _unverified()
    if request.method == "GET":
        return verifier.handshake(request) or HttpResponse(status=405)
    body = _read_body(request, verifier.max_body_bytes)
    if body is None:
        return JsonResponse(
            {"error": {"code": "invalid_input", "message": "The body is too large."}},
            status=413,
        )
    try:
        verified = _verify(request, verifier, body)
    except Unverified as error:
        logger.info("webhook %s refused: %s", provider, error)
        return _unverified()
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


def _verify(request, verifier, body: bytes) -> Verified:
    if not verifier.is_configured() and settings.ALLOW_UNVERIFIED_WEBHOOKS:
        # Local development only: startup refuses this setting unless DEBUG.
        return Verified(events=[services.unverified_event(verifier, body)])
    return verifier.verify(request, body)


def _read_body(request, limit: int) -> bytes | None:
    """The raw body, read once, before anything parses it; None past the limit."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return None
    if declared > limit:
        return None
    body = request.body
    return body if len(body) <= limit else None
