"""SendGrid: the Event Webhook is signed with ECDSA (P-256, SHA-256); Inbound Parse
carries a shared secret in Basic auth or in the URL path."""

import base64
import email.parser
import email.policy
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import SuspiciousOperation
from django.http.multipartparser import MultiPartParserError

from webhooks.verifiers.base import (
    InboundEvent,
    Unverified,
    Verified,
    Verifier,
    check_timestamp,
    items,
    mapping,
    text,
)


class SendGridEventVerifier(Verifier):
    name = "sendgrid"
    secret_settings = ("SENDGRID_WEBHOOK_PUBLIC_KEY",)
    kept_headers = (
        "Content-Type",
        "User-Agent",
        "X-Twilio-Email-Event-Webhook-Timestamp",
    )

    def verify(self, request, body: bytes) -> Verified:
        public_key = self._public_key()
        timestamp = request.headers.get("X-Twilio-Email-Event-Webhook-Timestamp", "")
        signature = request.headers.get("X-Twilio-Email-Event-Webhook-Signature", "")
        check_timestamp(timestamp)
        try:
            public_key.verify(
                base64.b64decode(signature, validate=True),
                timestamp.encode() + body,
                ec.ECDSA(hashes.SHA256()),
            )
        except (InvalidSignature, ValueError):
            raise Unverified("bad signature") from None
        payload = self.payload(body)
        if not isinstance(payload, list):
            # SendGrid posts a batch; anything else is kept whole.
            return Verified(events=[InboundEvent(self.body_hash(body), "", body)])
        # The body is a batch; each event is kept, and deduplicated, on its own.
        events = []
        for item in items(payload):
            item_body = json.dumps(item).encode()
            events.append(
                InboundEvent(
                    text(mapping(item).get("sg_event_id")) or self.body_hash(item_body),
                    text(mapping(item).get("event")),
                    item_body,
                )
            )
        return Verified(events=events)

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

    def check_credentials(self, request) -> None:
        secret = self.secret()
        given = request.resolver_match.kwargs.get("secret") or self.basic_auth_password(
            request
        )
        if not given or not self.equal(given, secret):
            raise Unverified("bad secret")

    def verify(self, request, body: bytes) -> Verified:
        try:
            form = request.POST
        except (MultiPartParserError, SuspiciousOperation):
            form = {}  # not a form after all: kept whole, under the body's hash
        # The raw header block, read without interpreting any header: an odd
        # Message-ID is kept as it is rather than parsed.
        headers = email.parser.HeaderParser(policy=email.policy.compat32).parsestr(
            form.get("headers", "")
        )
        message_id = str(headers.get("Message-ID") or "").strip()
        return Verified(
            events=[InboundEvent(message_id or self.body_hash(body), "inbound", body)]
        )
