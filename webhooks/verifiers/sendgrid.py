"""SendGrid: the Event Webhook is signed with ECDSA (P-256, SHA-256); Inbound Parse
carries a shared secret in Basic auth or in the URL path."""

import base64
import email
import email.policy
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from webhooks.verifiers.base import InboundEvent, Unverified, Verified, Verifier


class SendGridEventVerifier(Verifier):
    name = "sendgrid"
    secret_settings = ("SENDGRID_WEBHOOK_PUBLIC_KEY",)
    kept_headers = ("Content-Type", "User-Agent",
                    "X-Twilio-Email-Event-Webhook-Timestamp")  # fmt: skip

    def verify(self, request, body: bytes) -> Verified:
        public_key = self._public_key()
        timestamp = request.headers.get("X-Twilio-Email-Event-Webhook-Timestamp", "")
        signature = request.headers.get("X-Twilio-Email-Event-Webhook-Signature", "")
        self.check_timestamp(timestamp)
        try:
            public_key.verify(
                base64.b64decode(signature, validate=True),
                timestamp.encode() + body,
                ec.ECDSA(hashes.SHA256()),
            )
        except (InvalidSignature, ValueError):
            raise Unverified("bad signature") from None
        payload = self.json_body(body)
        if not isinstance(payload, list):
            raise Unverified("unexpected body")
        # The body is a batch; each event is kept, and deduplicated, on its own.
        return Verified(
            events=[
                InboundEvent(
                    str(
                        item.get("sg_event_id")
                        or self.body_hash(json.dumps(item).encode())
                    ),
                    str(item.get("event", "")),
                    json.dumps(item).encode(),
                )
                for item in payload
                if isinstance(item, dict)
            ]
        )

    def _public_key(self) -> ec.EllipticCurvePublicKey:
        try:
            key = serialization.load_der_public_key(base64.b64decode(self.secret()))
        except ValueError:
            raise Unverified("public key is not base64 DER") from None
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise Unverified("public key is not ECDSA")
        return key


class SendGridInboundVerifier(Verifier):
    name = "sendgrid-inbound"
    secret_settings = ("SENDGRID_INBOUND_SECRET",)
    max_body_bytes = 30 * 1024 * 1024  # SendGrid's own limit for a parsed message

    def verify(self, request, body: bytes) -> Verified:
        secret = self.secret()
        given = request.resolver_match.kwargs.get("secret") or self.basic_auth_password(
            request
        )
        if not given or not self.equal(given, secret):
            raise Unverified("bad secret")
        headers = request.POST.get("headers", "")
        message = email.message_from_string(headers, policy=email.policy.default)
        message_id = (message.get("Message-ID") or "").strip()
        return Verified(
            events=[InboundEvent(message_id or self.body_hash(body), "inbound", body)]
        )
