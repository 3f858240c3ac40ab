"""Random secrets of the orgs app: invitation links (32 random bytes in the link, their
SHA-256 in the row) and domain claims' DNS tokens."""

import hashlib
import secrets

PREFIX = "inv_"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def domain_token() -> str:
    """A domain claim's token, for its owner to publish in a TXT record.

    Not a secret (anyone may look it up in DNS): it proves control of the domain
    only by being there, and is random so no claim can reuse another's record.
    """
    return "org-verification-" + secrets.token_hex(16)
