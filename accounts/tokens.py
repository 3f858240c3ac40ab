"""The personal API token format: `pat_<key id>_<secret>`.

The key id is 12 characters of [a-z0-9]; the secret is 43 characters of [A-Za-z0-9]
(256 bits). Neither contains `_`, so the token splits into exactly its three parts
(`token.split("_")`), and a double-click selects all of it. Tokens made before this
format drew the secret from base64url (`-` and `_` as well); they stay valid.

The database keeps the key id, to find the row, and the SHA-256 of the whole token,
compared in constant time.
"""

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

PREFIX = "pat_"
KEY_ID_LENGTH = 12
SECRET_LENGTH = 43
_KEY_ID_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits
# The secret part also admits `-` and `_`: tokens issued before the format changed.
_TOKEN = re.compile(
    rf"^{PREFIX}([a-z0-9]{{{KEY_ID_LENGTH}}})_([A-Za-z0-9_-]{{{SECRET_LENGTH}}})$"
)


@dataclass(frozen=True)
class NewToken:
    key_id: str
    secret: str  # the whole token, to show once
    digest: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def generate() -> NewToken:
    key_id = _random(_KEY_ID_ALPHABET, KEY_ID_LENGTH)
    token = f"{PREFIX}{key_id}_{_random(_SECRET_ALPHABET, SECRET_LENGTH)}"
    return NewToken(key_id=key_id, secret=token, digest=digest(token))


def key_id_of(token: str) -> str | None:
    """The key id of a well-formed token (either format), else None."""
    match = _TOKEN.match(token)
    return match[1] if match else None


def matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)
