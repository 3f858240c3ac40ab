"""WhatsApp (Meta): `X-Hub-Signature-256` HMAC of the raw body; a GET handshake."""

import json

from django.conf import settings
from django.http import HttpResponse

from webhooks.verifiers.base import InboundEvent, Unverified, Verified, Verifier


class WhatsAppVerifier(Verifier):
    name = "whatsapp"
    secret_settings = ("WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN")

    def handshake(self, request) -> HttpResponse:
        token = settings.WHATSAPP_VERIFY_TOKEN or ""
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and token
            and self.equal(given, token)
        ):
            return HttpResponse(
                request.GET.get("hub.challenge", ""), content_type="text/plain"
            )
        return HttpResponse("Forbidden", status=403, content_type="text/plain")

    def verify(self, request, body: bytes) -> Verified:
        secret = self.secret("WHATSAPP_APP_SECRET")
        signature = request.headers.get("X-Hub-Signature-256", "")
        expected = "sha256=" + self.hmac_sha256(secret.encode(), body).hex()
        if not signature or not self.equal(signature, expected):
            raise Unverified("bad signature")
        payload = self.json_body(body)
        events = []
        # One event per message or status, each deduplicated by its own id.
        for entry in payload.get("entry", []) if isinstance(payload, dict) else []:
            for change in entry.get("changes", []):
                value = change.get("value", {})
                for kind in ("messages", "statuses"):
                    for item in value.get(kind, []):
                        events.append(
                            InboundEvent(
                                f"{kind[:-1]}:{item.get('id')}",
                                kind[:-1],
                                json.dumps(item).encode(),
                            )
                        )
        if not events:
            events.append(InboundEvent(self.body_hash(body), "other", body))
        return Verified(events=events)
