"""Resend: Svix signatures, one secret for events and another for inbound email."""

from webhooks.verifiers.base import (
    InboundEvent,
    Verified,
    Verifier,
    mapping,
    svix_verify,
    text,
)


class ResendVerifier(Verifier):
    name = "resend"
    secret_settings = ("RESEND_WEBHOOK_SECRET",)
    kept_headers = ("Content-Type", "User-Agent", "svix-id", "svix-timestamp")

    def verify(self, request, body: bytes) -> Verified:
        headers = request.headers
        msg_id = headers.get("svix-id", "")
        svix_verify(
            self.secret(),
            msg_id,
            headers.get("svix-timestamp", ""),
            headers.get("svix-signature", ""),
            body,
        )
        event_type = text(mapping(self.payload(body)).get("type"))
        return Verified(events=[InboundEvent(msg_id, event_type, body)])


class ResendInboundVerifier(ResendVerifier):
    """Inbound email: the event names the email; the task fetches its body."""

    name = "resend-inbound"
    secret_settings = ("RESEND_INBOUND_WEBHOOK_SECRET",)
