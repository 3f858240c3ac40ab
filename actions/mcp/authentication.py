"""Who calls `/mcp`: a bearer credential, tried by each of AUTHENTICATORS in turn.

The same classes as the actions API's (`Authorization: Bearer pat_…`, a personal
token; an ACCESS_TOKENS entry), so a failed credential is counted against the
client's address the same way (`accounts.authentication.refused`: 401, then 429).
Each returns `(user, Credential)`, None when the credential is not its kind, or
raises. A bearer token that is not `pat_…` is an ACCESS_TOKENS entry or else an
OAuth access token from this server, whose Credential carries the grant's scopes
(`mcp:read`, `mcp:write`), which tool calls are held to.
"""

from django.conf import settings
from rest_framework import exceptions

from accounts import services as account_services
from accounts import tokens
from accounts.authentication import Credential
from accounts.bearer import bearer_token
from accounts.oauth.authentication import OAuthAccessTokenAuthentication
from actions.mcp.protocol import McpError
from config.jsonrpc import SERVER_ERROR
from orgs.authentication import ApiTokenWithOrgAuthentication


class StaticOrOAuthTokenAuthentication(OAuthAccessTokenAuthentication):
    """A bearer token that is not `pat_…`: an ACCESS_TOKENS entry (compared in
    memory, no query), else an OAuth access token, refused (and counted once) when
    it is neither."""

    def authenticate(self, request):
        raw = bearer_token(request)
        if raw is None or raw.startswith(tokens.PREFIX):
            return None
        user = account_services.access_token_authenticate(raw)
        if user is not None:
            return user, Credential()
        return super().authenticate(request)


AUTHENTICATORS = [ApiTokenWithOrgAuthentication, StaticOrOAuthTokenAuthentication]

# Where a client learns which authorization server issues tokens for /mcp
# (RFC 9728), answered in every challenge.
METADATA_PATH = "/.well-known/oauth-protected-resource/mcp"


def authenticate(request):
    """`(user, Credential)` for the request's bearer credential; McpError (401 with
    a challenge, or 429) when there is none or it is refused."""
    for authenticator_class in AUTHENTICATORS:
        try:
            found = authenticator_class().authenticate(request)
        except exceptions.Throttled as throttled:
            raise McpError(
                SERVER_ERROR,
                str(throttled.detail),
                status=429,
                headers={"Retry-After": str(int(throttled.wait or 1))},
            ) from None
        except exceptions.AuthenticationFailed:
            raise unauthenticated(refused=True) from None
        if found is not None:
            user, credential = found
            return user, (
                credential if isinstance(credential, Credential) else Credential()
            )
    raise unauthenticated(refused=bearer_token(request) is not None)


def resource_metadata_url() -> str:
    return settings.APP_URL + METADATA_PATH


def challenge(**params: str) -> str:
    """A `WWW-Authenticate: Bearer …` value (RFC 6750) naming the resource metadata."""
    pairs = {**params, "resource_metadata": resource_metadata_url()}
    return "Bearer " + ", ".join(f'{name}="{value}"' for name, value in pairs.items())


def unauthenticated(*, refused: bool) -> McpError:
    """401: `invalid_token` when a credential was sent and refused, no error code
    when none was (RFC 6750 §3.1)."""
    params = {"error": "invalid_token"} if refused else {}
    return McpError(
        SERVER_ERROR,
        "Authentication required: send a valid bearer token.",
        status=401,
        headers={"WWW-Authenticate": challenge(**params)},
    )


def insufficient_scope(scope: str) -> McpError:
    """403 for a grant without the scope a call needs, so the host can ask the
    person for more (the spec's step-up authorization) instead of the model seeing a
    failure it cannot fix."""
    return McpError(
        SERVER_ERROR,
        f"This token's grant lacks the {scope} scope.",
        status=403,
        headers={
            "WWW-Authenticate": challenge(error="insufficient_scope", scope=scope)
        },
    )
