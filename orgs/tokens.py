"""Invitation link secrets: 32 random bytes in the link, their SHA-256 in the row."""

import hashlib
import secrets

PREFIX = "inv_"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
