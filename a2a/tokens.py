"""A2A identity: HS256 JWTs with every claim required, checked strictly.

Outbound tokens name this app (`iss`), the acting person (`sub`), the callee (`aud`),
and live at most five minutes. Inbound tokens must be HS256 (nothing else, `none`
least of all), carry iss/sub/aud/iat/exp/jti, be for this app's A2A URL, live at most
five minutes, and be used once.
"""

import time
import uuid

import jwt
from django.conf import settings
from django.core.cache import cache

ALGORITHM = "HS256"
MAX_LIFETIME_SECONDS = 300
LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ["iss", "sub", "aud", "iat", "exp", "jti"]
MIN_SECRET_BYTES = 32


class TokenRefused(Exception):
    """The token does not prove who calls; the message says why (for logs only)."""


def a2a_url() -> str:
    """This app's canonical A2A endpoint: the audience every inbound token names."""
    return f"{settings.APP_URL}/a2a/"


def sign(*, sub: str, aud: str, org_id=None, lifetime: int = 120, secret=None) -> str:
    now = int(time.time())
    claims = {
        "iss": settings.APP_URL,
        "sub": sub,
        "aud": aud,
        "iat": now,
        "exp": now + min(lifetime, MAX_LIFETIME_SECONDS),
        "jti": uuid.uuid4().hex,
    }
    if org_id is not None:
        claims["org_id"] = str(org_id)
    return jwt.encode(
        claims,
        secret or settings.A2A_SECRET,
        algorithm=ALGORITHM,
        headers={"typ": "JWT"},
    )


def verify(token: str) -> dict:
    """The token's claims if every check passes (and it is used now, once)."""
    try:
        claims = jwt.decode(
            token,
            settings.A2A_SECRET,
            algorithms=[ALGORITHM],
            audience=a2a_url(),
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as error:
        raise TokenRefused(type(error).__name__) from None
    if not all(isinstance(claims[name], str) for name in ("iss", "sub", "jti")):
        raise TokenRefused("malformed claims")
    if claims["exp"] - claims["iat"] > MAX_LIFETIME_SECONDS:
        raise TokenRefused("lifetime over five minutes")
    # Last, so a forged or expired token cannot use up a real one's id.
    remaining = max(int(claims["exp"] - time.time()) + LEEWAY_SECONDS, 1)
    if not cache.add(f"a2a:jti:{claims['jti']}", 1, timeout=remaining):
        raise TokenRefused("replayed jti")
    return claims
