"""Recall.ai: Standard Webhooks headers, or the older Svix ones, with one secret."""

from webhooks.verifiers.base import (
    InboundEvent,
    Unverified,
    Verified,
    Verifier,
    mapping,
    svix_verify,
    text,
)


class RecallVerifier(Verifier):
    name = "recall"
    secret_settings = ("RECALL_WEBHOOK_SECRET",)
    kept_headers = ("Content-Type", "User-Agent", "webhook-id", "svix-id")

    def verify(self, request, body: bytes) -> Verified:
        headers = request.headers
        prefix = "webhook" if headers.get("webhook-id") else "svix"
        msg_id = headers.get(f"{prefix}-id", "")
        if not msg_id:
            raise Unverified("signature headers missing")
        svix_verify(
            self.secret(),
            msg_id,
            headers.get(f"{prefix}-timestamp", ""),
            headers.get(f"{prefix}-signature", ""),
            body,
        )
        event_type = text(mapping(self.payload(body)).get("event"))
        return Verified(events=[InboundEvent(msg_id, event_type, body)])
