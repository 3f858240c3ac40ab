"""API authentication, tried in this order: session, personal token, ACCESS_TOKENS.

A bearer credential that fails is counted against the client's address
(`accounts.auth_failures`): 401, and 429 once the address is past its limit.
"""

from rest_framework import authentication, exceptions

from accounts import auth_failures, services, tokens
from accounts.bearer import bearer_token
from config.errors import Throttled

# Answered in WWW-Authenticate with every 401, so clients know to send a token.
CHALLENGE = 'Bearer realm="api"'


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
        self.found(request, token)
        return token.user, None

    def lookup(self, key_id: str):
        """The live token with its user; a subclass may load more in the one query."""
        return services.live_token(key_id)

    def found(self, request, token) -> None:
        """Called with the valid token before the request goes on."""

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
        return user, None

    def authenticate_header(self, request):
        return CHALLENGE
