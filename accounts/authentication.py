"""API authentication, tried in this order: session, personal token, ACCESS_TOKENS.

A bearer credential that fails is counted against the client's address
(`accounts.auth_failures`): 401, and 429 once the address is past its limit.
"""

from dataclasses import dataclass
from typing import Any

from rest_framework import authentication, exceptions

from accounts import auth_failures, services, tokens
from accounts.bearer import bearer_token
from config.context import AGENT
from config.errors import Throttled

# Answered in WWW-Authenticate with every 401, so clients know to send a token.
CHALLENGE = 'Bearer realm="api"'


@dataclass(frozen=True)
class Credential:
    """What a bearer credential says besides its user (DRF's `request.auth`), for
    `orgs.context.caller_context`: the entrance it came by, the org it is bound to,
    the membership when its query loaded it, the calling app (A2A's `iss`), and the
    scopes it carries (an OAuth grant's; None: no limit beyond the user's roles)."""

    caller: str = AGENT
    bound_org_id: Any = None
    membership: Any = None
    issuer: str = ""
    scopes: frozenset[str] | None = None


def refused(request, *, kind: str, message: str) -> exceptions.APIException:
    """The exception to raise for a failed credential of `kind`: 401 with `message`,
    or 429 (Retry-After) once the client's address is past its limit."""
    try:
        auth_failures.note_failure(request, kind=kind)
    except Throttled as error:
        return exceptions.Throttled(wait=error.retry_after_seconds)
    return exceptions.AuthenticationFailed(message)


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF enforced for unsafe methods."""

    caller_kind = "session"

    def authenticate_header(self, request):
        # DRF answers 403 instead of 401 when the first class offers no challenge.
        return CHALLENGE


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pat_…`, a personal API token."""

    caller_kind = "token"

    def authenticate(self, request):
        raw = bearer_token(request)
        if raw is None or not raw.startswith(tokens.PREFIX):
            return None
        token = services.api_token_authenticate(raw, lookup=self.lookup)
        if token is None:
            raise refused(
                request, kind=self.caller_kind, message="Invalid or revoked token."
            )
        return token.user, Credential(
            bound_org_id=token.bound_org_id,
            membership=getattr(token, "membership", None),
        )

    def lookup(self, key_id: str):
        """The live token with its user; a subclass may load more in the one query
        (a `membership` attribute: the one the call acts through)."""
        return services.live_token(key_id)

    def authenticate_header(self, request):
        return CHALLENGE


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` from ACCESS_TOKENS, bound to a user."""

    caller_kind = "access_token"

    def authenticate(self, request):
        raw = bearer_token(request)
        if raw is None or raw.startswith(tokens.PREFIX):
            return None
        user = services.access_token_authenticate(raw)
        if user is None:
            raise refused(request, kind=self.caller_kind, message="Invalid token.")
        return user, Credential()

    def authenticate_header(self, request):
        return CHALLENGE
