"""DRF authentication for /mcp: an OAuth access token from this server.

Valid means: known and unexpired, issued for the MCP URL, its user active and still
a member of the org its grant acts in. A failure is counted like every bearer
failure (`accounts.authentication.refused`) and answered 401 with the RFC 6750 /
RFC 9728 challenge that sends the client to discovery.
"""

from rest_framework import authentication

from accounts.authentication import Credential, refused
from accounts.bearer import bearer_token
from accounts.oauth import selectors, services
from accounts.oauth.resource import challenge
from config.context import MCP

# Set on the request when a token was presented and refused, so the challenge says
# why (`authenticate_header` runs on another instance of the class).
FAILED_ATTRIBUTE = "oauth_token_refused"


class OAuthAccessTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <access token>` issued by the OAuth server for /mcp."""

    caller_kind = "oauth"

    def authenticate(self, request):
        raw = bearer_token(request)
        if raw is None:
            return None
        found = selectors.mcp_access(raw)
        if found is None:
            setattr(request, FAILED_ATTRIBUTE, True)
            raise refused(
                request,
                kind=self.caller_kind,
                message="Invalid, expired or revoked access token.",
            )
        token, grant, membership = found
        services.grant_note_use(grant)
        return token.user, Credential(
            caller=MCP,
            bound_org_id=grant.org_id,
            membership=membership,
            scopes=frozenset(token.get_scopes()),
        )

    def authenticate_header(self, request):
        failed = getattr(request, FAILED_ATTRIBUTE, False)
        return challenge(error="invalid_token" if failed else "")
