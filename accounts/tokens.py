"""The personal API token format: `pat_<key id>_<secret>`.

The secret is 32 random bytes (base64url). The database keeps the key id, to find the
row, and the SHA-256 of the whole token, compared in constant time.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "pat_"
KEY_ID_LENGTH = 12
_KEY_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_TOKEN = re.compile(rf"^{PREFIX}([a-z0-9]{{{KEY_ID_LENGTH}}})_([A-Za-z0-9_-]{{43}})$")


@dataclass(frozen=True)
class NewToken:
    key_id: str
    secret: str  # the whole token, to show once
    digest: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def generate() -> NewToken:
    key_id = "".join(secrets.choice(_KEY_ID_ALPHABET) for _ in range(KEY_ID_LENGTH))
    token = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return NewToken(key_id=key_id, secret=token, digest=digest(token))


def key_id_of(token: str) -> str | None:
    """The key id of a well-formed token, else None."""
    match = _TOKEN.match(token)
    return match[1] if match else None


def matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)
