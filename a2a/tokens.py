"""A2A identity: HS256 JWTs with every claim required, checked strictly.

Outbound tokens name this app (`iss`), the acting person (`sub`), the callee (`aud`),
and live at most five minutes. Inbound tokens must be HS256 (nothing else, `none`
least of all), carry iss/sub/aud/iat/exp/jti, be for this app's A2A URL, live at most
five minutes, and be used once.
"""

import math
import time
import uuid

import jwt
from django.conf import settings
from django.core.cache import cache

from a2a.app_settings import app_settings

ALGORITHM = "HS256"
MAX_LIFETIME_SECONDS = 300
LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ["iss", "sub", "aud", "iat", "exp", "jti"]
MIN_SECRET_BYTES = 32
STRING_CLAIMS = ("iss", "sub", "jti")
TIME_CLAIMS = ("iat", "exp", "nbf")
# Seconds since 1970 that a float holds exactly (year 285 million): any later "time"
# is not one, and arithmetic on it could overflow.
LATEST_TIME = 2**53


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
        secret or app_settings.SECRET,
        algorithm=ALGORITHM,
        headers={"typ": "JWT"},
    )


def verify(token: str) -> dict:
    """The token's claims if every check passes (and it is used now, once)."""
    _check_claim_types(token)
    try:
        claims = jwt.decode(
            token,
            app_settings.SECRET,
            algorithms=[ALGORITHM],
            audience=a2a_url(),
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as error:
        raise TokenRefused(type(error).__name__) from None
    if claims["exp"] - claims["iat"] > MAX_LIFETIME_SECONDS:
        raise TokenRefused("lifetime over five minutes")
    # Last, so a forged or expired token cannot use up a real one's id.
    remaining = max(int(claims["exp"] - time.time()) + LEEWAY_SECONDS, 1)
    if not cache.add(f"a2a:jti:{claims['jti']}", 1, timeout=remaining):
        raise TokenRefused("replayed jti")
    return claims


def _check_claim_types(token: str) -> None:
    """Refuse claims of the wrong JSON type before PyJWT reads their values: it takes
    `"exp": "1999999999"` for a time (`int()` of a string), and a NaN, a list or a
    400-digit integer would reach arithmetic that raises. The signature is checked
    after, by the strict decode; this only ever refuses."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise TokenRefused(type(error).__name__) from None
    for name in STRING_CLAIMS:
        if name in claims and not (isinstance(claims[name], str) and claims[name]):
            raise TokenRefused(f"{name} is not a string")
    for name in TIME_CLAIMS:
        if name in claims and not _is_time(claims[name]):
            raise TokenRefused(f"{name} is not a NumericDate")
    if claims.get("org_id") is not None and not isinstance(claims["org_id"], str):
        raise TokenRefused("org_id is not a string")


def _is_time(value) -> bool:
    """A NumericDate (RFC 7519): a JSON number of seconds, within reason."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return 0 <= value <= LATEST_TIME  # compared as numbers: a huge int never floats
