"""WhatsApp (Meta): `X-Hub-Signature-256` HMAC of the raw body; a GET handshake."""

import json

from django.http import HttpResponse, JsonResponse

from webhooks.app_settings import app_settings
from webhooks.verifiers.base import (
    InboundEvent,
    Unverified,
    Verified,
    Verifier,
    items,
    mapping,
    text,
)


class WhatsAppVerifier(Verifier):
    name = "whatsapp"
    secret_settings = ("WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN")

    def handshake(self, request) -> HttpResponse:
        token = app_settings.secret("WHATSAPP_VERIFY_TOKEN")
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and token
            and self.equal(given, token)
        ):
            return HttpResponse(
                request.GET.get("hub.challenge", ""), content_type="text/plain"
            )
        return JsonResponse(
            {
                "error": {
                    "code": "permission_denied",
                    "message": "The verify token does not match.",
                }
            },
            status=403,
        )

    def verify(self, request, body: bytes) -> Verified:
        secret = self.secret("WHATSAPP_APP_SECRET")
        signature = request.headers.get("X-Hub-Signature-256", "")
        expected = "sha256=" + self.hmac_sha256(secret.encode(), body).hex()
        if not signature or not self.equal(signature, expected):
            raise Unverified("bad signature")
        # One event per message or status, each deduplicated by its own id; a body
        # of another shape is one event.
        events = [
            InboundEvent(
                f"{event_type}:{_item_id(event_type, item, item_body)}",
                event_type,
                item_body,
            )
            for event_type, item, item_body in _items(self.payload(body))
        ]
        if not events:
            events.append(InboundEvent(self.body_hash(body), "other", body))
        return Verified(events=events)


# The arrays a change's value carries, and the event type of each of their items.
_ITEM_TYPES = {"messages": "message", "statuses": "status"}


def _items(payload):
    """(event type, item, item as JSON) for each message and status in the body."""
    for entry in items(mapping(payload).get("entry")):
        for change in items(mapping(entry).get("changes")):
            value = mapping(mapping(change).get("value"))
            for kind, event_type in _ITEM_TYPES.items():
                for item in items(value.get(kind)):
                    yield event_type, item, json.dumps(item).encode()


def _item_id(event_type: str, item, item_body: bytes) -> str:
    """A message's id; a status's is its message's id and the status, since Meta
    sends `sent`, `delivered` and `read` of one message as three statuses."""
    item_id = text(mapping(item).get("id"))
    if not item_id:
        return Verifier.body_hash(item_body)
    if event_type == "status":
        return f"{item_id}:{text(mapping(item).get('status'))}"
    return item_id
