"""What every provider's verifier shares, in the spirit of django-anymail's validators.

A verifier looks at the raw request (body bytes read before anything parses them) and
either raises `Unverified` or returns the events the request carries. Every secret
comparison is constant time on bytes. A provider whose secret is not configured fails
exactly like a bad signature, so probing tells nothing.
"""

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse

TIMESTAMP_TOLERANCE_SECONDS = 5 * 60


class Unverified(Exception):
    """The request is not from the provider (or the provider is not configured)."""


@dataclass
class InboundEvent:
    event_id: str
    event_type: str = ""
    body: bytes = b""


@dataclass
class Verified:
    """What a verified request carries, and how to answer it."""

    events: list[InboundEvent] = field(default_factory=list)
    # A handshake answered at once instead of the usual 200 (Slack, Zoom).
    response: HttpResponse | None = None
    # True for a delivery the provider says it is retrying: acknowledged, not redone.
    retry: bool = False


class Verifier:
    name: str = ""
    secret_settings: tuple[str, ...] = ()
    max_body_bytes: int = 1024 * 1024
    # Request headers worth keeping with the event (never credentials).
    kept_headers: tuple[str, ...] = ("Content-Type", "User-Agent")

    def verify(self, request, body: bytes) -> Verified:
        raise NotImplementedError

    def handshake(self, request) -> HttpResponse | None:
        """A GET some providers send to check the endpoint; None: no such thing."""
        return None

    # --- helpers -------------------------------------------------------------------

    def secret(self, setting: str | None = None) -> str:
        """The configured secret, or Unverified as a bad signature."""
        value = getattr(settings, setting or self.secret_settings[0], "") or ""
        if not value:
            raise Unverified(f"{self.name}: not configured")
        return value

    def is_configured(self) -> bool:
        return all(getattr(settings, name, "") for name in self.secret_settings)

    @staticmethod
    def equal(a: str | bytes, b: str | bytes) -> bool:
        a = a.encode() if isinstance(a, str) else a
        b = b.encode() if isinstance(b, str) else b
        return hmac.compare_digest(a, b)

    @staticmethod
    def hmac_sha256(key: bytes, message: bytes) -> bytes:
        return hmac.new(key, message, hashlib.sha256).digest()

    @staticmethod
    def check_timestamp(value: str, tolerance: int = TIMESTAMP_TOLERANCE_SECONDS):
        try:
            sent = int(value)
        except (TypeError, ValueError):
            raise Unverified("timestamp missing or malformed") from None
        if abs(time.time() - sent) > tolerance:
            raise Unverified("timestamp outside the allowed window")

    @staticmethod
    def basic_auth_password(request) -> str:
        """The password of `Authorization: Basic …`, or ''."""
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic" or not credentials:
            return ""
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]

    @staticmethod
    def json_body(body: bytes):
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise Unverified("body is not JSON") from None

    @staticmethod
    def body_hash(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest()


def svix_verify(secret: str, msg_id: str, timestamp: str, signatures: str, body: bytes):
    """Svix / Standard Webhooks: base64 HMAC-SHA256 of `id.timestamp.body`, keyed by the
    base64 part of a `whsec_` secret; the header lists `v1,<sig>` entries."""
    if not (msg_id and timestamp and signatures):
        raise Unverified("signature headers missing")
    Verifier.check_timestamp(timestamp)
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"))
    except ValueError:
        raise Unverified("secret is not base64") from None
    expected = base64.b64encode(
        Verifier.hmac_sha256(key, f"{msg_id}.{timestamp}.".encode() + body)
    )
    for entry in signatures.split():
        version, _, signature = entry.partition(",")
        if version == "v1" and Verifier.equal(signature, expected):
            return
    raise Unverified("no matching signature")


def v0_verify(secret: str, timestamp: str, signature: str, body: bytes) -> None:
    """Slack's scheme, which Zoom shares: `v0=` and the hex HMAC-SHA256 of
    `v0:{timestamp}:{body}`, with the timestamp inside the allowed window."""
    Verifier.check_timestamp(timestamp)
    digest = Verifier.hmac_sha256(secret.encode(), f"v0:{timestamp}:".encode() + body)
    if not signature or not Verifier.equal(signature, "v0=" + digest.hex()):
        raise Unverified("bad signature")
