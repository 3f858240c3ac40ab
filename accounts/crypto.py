"""Encryption of secrets at rest: AES-256-GCM, keys derived with HKDF.

SECRETS_ENCRYPTION_KEY holds one or more keys, comma-separated, newest first: values
are encrypted with the newest and decrypted with whichever made them, so keys rotate
(`manage.py rotate_secrets` re-encrypts everything with the newest). Each ciphertext is
bound to its row by associated data: copied into another row, it does not decrypt.
"""

import base64
import hashlib
import logging
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from accounts.app_settings import app_settings

logger = logging.getLogger(__name__)
VERSION = "v1"


class DecryptionError(Exception):
    """The value was not made for this row, or with any configured key."""


def _derive(material: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"template-secrets-v1"
    ).derive(material.encode())


@cache
def _keys(configured: str, fallback: str) -> tuple[tuple[str, bytes], ...]:
    materials = [k.strip() for k in configured.split(",") if k.strip()]
    if not materials:
        logger.warning(
            "SECRETS_ENCRYPTION_KEY is not set: secrets are encrypted with a key "
            "derived from SECRET_KEY (fine for local development only)."
        )
        materials = [f"derived-from-secret-key:{fallback}"]
    keys = []
    for material in materials:
        key = _derive(material)
        keys.append((hashlib.sha256(key).hexdigest()[:8], key))
    return tuple(keys)


def keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key) pairs, newest first."""
    return _keys(app_settings.SECRETS_ENCRYPTION_KEY, settings.SECRET_KEY)


def encrypt(plaintext: str, *, bound_to: str) -> str:
    key_id, key = keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), bound_to.encode())
    return f"{VERSION}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, bound_to: str) -> str:
    try:
        version, key_id, payload = token.split(":", 2)
        raw = base64.b64decode(payload)
    except ValueError:
        raise DecryptionError("malformed ciphertext") from None
    if version != VERSION:
        raise DecryptionError("unknown version")
    for candidate_id, key in keys():
        if candidate_id == key_id:
            try:
                return (
                    AESGCM(key).decrypt(raw[:12], raw[12:], bound_to.encode()).decode()
                )
            except InvalidTag:
                raise DecryptionError("not this row's value, or tampered") from None
    raise DecryptionError("made with a key that is not configured")


def is_ciphertext(value: str) -> bool:
    """Whether `value` was made by `encrypt` (and is not a secret in the clear)."""
    return value.startswith(f"{VERSION}:") and value.count(":") >= 2


def is_current(token: str) -> bool:
    """Whether the value is encrypted with the newest key."""
    return token.split(":", 2)[1:2] == [keys()[0][0]]


def mask(value: str) -> str:
    """What people may see of a secret: its last four characters at most."""
    tail = value[-4:] if len(value) >= 12 else ""
    return f"••••{tail}"
