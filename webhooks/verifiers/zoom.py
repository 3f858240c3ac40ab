"""Zoom: `v0=` HMAC of `v0:{timestamp}:{body}`; URL validation answered if verified."""

import hashlib
import hmac

from django.http import JsonResponse

from webhooks.verifiers.base import InboundEvent, Unverified, Verified, Verifier


class ZoomVerifier(Verifier):
    name = "zoom"
    secret_settings = ("ZOOM_WEBHOOK_SECRET_TOKEN",)
    kept_headers = ("Content-Type", "User-Agent", "x-zm-request-timestamp",
                    "x-zm-trackingid")  # fmt: skip

    def verify(self, request, body: bytes) -> Verified:
        secret = self.secret().encode()
        timestamp = request.headers.get("x-zm-request-timestamp", "")
        signature = request.headers.get("x-zm-signature", "")
        self.check_timestamp(timestamp)
        expected = (
            "v0="
            + hmac.new(
                secret, f"v0:{timestamp}:".encode() + body, hashlib.sha256
            ).hexdigest()
        )
        if not signature or not self.equal(signature, expected):
            raise Unverified("bad signature")
        payload = self.json_body(body)
        if not isinstance(payload, dict):
            raise Unverified("unexpected body")
        if payload.get("event") == "endpoint.url_validation":
            plain = str((payload.get("payload") or {}).get("plainToken", ""))
            encrypted = hmac.new(secret, plain.encode(), hashlib.sha256).hexdigest()
            return Verified(
                response=JsonResponse(
                    {"plainToken": plain, "encryptedToken": encrypted}
                )
            )
        # Zoom sends no event id; a redelivery repeats the same body.
        return Verified(
            events=[
                InboundEvent(self.body_hash(body), str(payload.get("event", "")), body)
            ]
        )
