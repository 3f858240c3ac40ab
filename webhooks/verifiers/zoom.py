"""Zoom: `v0=` HMAC of `v0:{timestamp}:{body}`; URL validation answered if verified."""

from django.http import JsonResponse

from webhooks.verifiers.base import (
    BadHandshake,
    InboundEvent,
    Verified,
    Verifier,
    mapping,
    text,
    v0_verify,
)


class ZoomVerifier(Verifier):
    name = "zoom"
    secret_settings = ("ZOOM_WEBHOOK_SECRET_TOKEN",)
    kept_headers = (
        "Content-Type",
        "User-Agent",
        "x-zm-request-timestamp",
        "x-zm-trackingid",
    )

    def verify(self, request, body: bytes) -> Verified:
        secret = self.secret()
        v0_verify(
            secret,
            request.headers.get("x-zm-request-timestamp", ""),
            request.headers.get("x-zm-signature", ""),
            body,
        )
        payload = mapping(self.payload(body))
        if payload.get("event") == "endpoint.url_validation":
            plain = text(mapping(payload.get("payload")).get("plainToken"))
            if not plain:
                raise BadHandshake("The URL validation carries no plainToken.")
            encrypted = self.hmac_sha256(secret.encode(), plain.encode()).hex()
            return Verified(
                response=JsonResponse(
                    {"plainToken": plain, "encryptedToken": encrypted}
                )
            )
        # Zoom sends no event id; a redelivery repeats the same body.
        return Verified(
            events=[
                InboundEvent(self.body_hash(body), text(payload.get("event")), body)
            ]
        )
