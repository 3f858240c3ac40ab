"""What every provider's verifier shares, in the spirit of django-anymail's validators.

A verifier looks at the raw request (body bytes read before anything parses them) and
either raises `Unverified` or returns the events the request carries. Every secret
comparison is constant time on bytes. A provider whose secret is not configured fails
exactly like a bad signature, so probing tells nothing.

A body that passed verification is the provider's own, so it is stored whatever its
shape: an id or type it lacks is replaced (the body's hash, ""), and the handlers
decide what an odd body means (`webhooks.handlers.UnexpectedPayload`). Refusing it
would only make the provider send it again: Svix (Resend, Recall), Pub/Sub, Meta and
SendGrid retry every non-2xx answer for days. Only a handshake, which is answered
rather than stored, is refused with a 400 (`BadHandshake`) when it is malformed.
"""

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass, field

from django.http import HttpResponse

from config.jsonbody import JsonBodyError, loads_bounded
from webhooks.app_settings import app_settings

TIMESTAMP_TOLERANCE_SECONDS = 5 * 60
# A Unix time in seconds as every provider sends it: ASCII digits, at most 12 of them
# (the year 33658). Nothing else is a time, even what int() would take: '١٢٣', ' 123',
# '1_000', '+1', or '1' and 400 zeros, which overflows a float when compared.
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


class Unverified(Exception):
    """The request is not from the provider (or the provider is not configured)."""


class BadHandshake(Exception):
    """A verified handshake (Slack's URL check, Zoom's validation) that cannot be
    answered: a 400 with the message."""


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


class Verifier:
    name: str = ""
    secret_settings: tuple[str, ...] = ()
    max_body_bytes: int = 1024 * 1024
    # Request headers worth keeping with the event (never credentials).
    kept_headers: tuple[str, ...] = ("Content-Type", "User-Agent")

    def check_credentials(self, request) -> None:
        """Raise Unverified if the credentials that need no body (headers, the URL)
        are wrong; called before the body is read, so a forged request is refused
        before any of its bytes are looked at."""

    def verify(self, request, body: bytes) -> Verified:
        raise NotImplementedError

    def handshake(self, request) -> HttpResponse | None:
        """A GET some providers send to check the endpoint; None: no such thing."""
        return None

    # --- helpers -------------------------------------------------------------------

    def secret(self, setting: str | None = None) -> str:
        """The configured secret, or Unverified as a bad signature."""
        value = app_settings.secret(setting or self.secret_settings[0])
        if not value:
            raise Unverified(f"{self.name}: not configured")
        return value

    def is_configured(self) -> bool:
        return all(app_settings.secret(name) for name in self.secret_settings)

    @staticmethod
    def equal(a: str | bytes, b: str | bytes) -> bool:
        # surrogatepass: a header with a lone surrogate compares unequal, not raises.
        a = a.encode("utf-8", "surrogatepass") if isinstance(a, str) else a
        b = b.encode("utf-8", "surrogatepass") if isinstance(b, str) else b
        return hmac.compare_digest(a, b)

    @staticmethod
    def hmac_sha256(key: bytes, message: bytes) -> bytes:
        return hmac.new(key, message, hashlib.sha256).digest()

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
        """The body as JSON, or Unverified: for a credential carried in the body."""
        try:
            return loads_bounded(body)
        except JsonBodyError:
            raise Unverified("body is not JSON") from None

    @staticmethod
    def payload(body: bytes):
        """A verified body as JSON, or None when it is not JSON this app reads."""
        try:
            return loads_bounded(body)
        except JsonBodyError:
            return None

    @staticmethod
    def body_hash(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest()


def check_timestamp(value: str, tolerance: int = TIMESTAMP_TOLERANCE_SECONDS) -> None:
    """Raise Unverified unless `value` is a Unix time in seconds within `tolerance`
    of now. Every provider that signs a timestamp checks it here, before any
    signature is computed."""
    if not _UNIX_SECONDS.fullmatch(value or ""):
        raise Unverified("timestamp missing or malformed")
    if abs(time.time() - int(value)) > tolerance:
        raise Unverified("timestamp outside the allowed window")


def mapping(value) -> dict:
    """`value` if it is a JSON object, else an empty one: for walking odd bodies."""
    return value if isinstance(value, dict) else {}


def items(value) -> list:
    """`value` if it is a JSON array, else an empty one: for walking odd bodies."""
    return value if isinstance(value, list) else []


def text(value) -> str:
    """A string or integer from a body as text (an id, a type); anything else, and a
    string no UTF-8 can carry (a lone surrogate from a `\\udXXX` escape), is ""."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    value = str(value)
    try:
        value.encode()
    except UnicodeEncodeError:
        return ""
    return value


def svix_verify(secret: str, msg_id: str, timestamp: str, signatures: str, body: bytes):
    """Svix / Standard Webhooks: base64 HMAC-SHA256 of `id.timestamp.body`, keyed by the
    base64 part of a `whsec_` secret; the header lists `v1,<sig>` entries."""
    if not (msg_id and timestamp and signatures):
        raise Unverified("signature headers missing")
    check_timestamp(timestamp)
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
    check_timestamp(timestamp)
    digest = Verifier.hmac_sha256(secret.encode(), f"v0:{timestamp}:".encode() + body)
    if not signature or not Verifier.equal(signature, "v0=" + digest.hex()):
        raise Unverified("bad signature")
