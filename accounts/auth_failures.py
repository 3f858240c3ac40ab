"""Failed API credentials are limited per client address.

Personal tokens, ACCESS_TOKENS and A2A JWTs: every failure is counted against the
address it came from (as allauth's sign-in limits count it: behind the trusted
proxies, IPv6 by its /64), in `actions.throttling`'s window. Past
ACCOUNTS_API_AUTH_FAILURE_RATE a failure is answered 429 with Retry-After instead
of 401.

Only failures are counted, and a correct credential is still accepted from an
address past the limit. Every credential here is out of reach of guessing (personal
tokens carry 256 random bits, ACCESS_TOKENS are >= 32 characters (accounts.E010),
A2A JWTs are signed with a >= 32-byte key), so the limit is against the load and
noise of guessing; and a client that shares its address (a NAT, a proxy) with a
guesser keeps working.
"""

import logging

from allauth.core.internal.ratelimit import get_ip
from django.core.exceptions import PermissionDenied

from accounts.app_settings import app_settings
from actions import throttling
from config.errors import Throttled

logger = logging.getLogger(__name__)

TOO_MANY = "Too many failed credentials from your address"


def note_failure(request, *, kind: str) -> None:
    """Count one failed credential of `kind` ("token", "access_token", "a2a") from
    the request's client address; raise config.errors.Throttled (429, with
    `retry_after_seconds`) once that address is past its limit."""
    try:
        throttling.limit(
            "auth-failed",
            caller=f"ip:{_address(request)}",
            rate=app_settings.API_AUTH_FAILURE_RATE,
            message=TOO_MANY,
        )
    except Throttled:
        logger.warning("auth: failed %s credential past the per-address limit", kind)
        raise


def _address(request) -> str:
    try:
        return get_ip(request)
    except PermissionDenied:  # no address at all: counted together
        return "unknown"
