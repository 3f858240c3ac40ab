"""allauth's OAuth server, fitted to /mcp: the MCP scopes in words, the issuer at
APP_URL, only the MCP URL as a resource, and registrations limited to what an agent
host needs; and to the team's apps signing their users in here: ID tokens that say
who the user is, and the domain of their address."""

import logging
from urllib.parse import urlparse

from allauth.idp.oidc import app_settings as oidc_settings
from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from allauth.idp.oidc.models import Client
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.oauth import cimd, scopes
from accounts.oauth.resource import mcp_url

logger = logging.getLogger(__name__)

# What a registered client may use: authorization code (with PKCE) and refresh.
GRANT_TYPES = [Client.GrantType.AUTHORIZATION_CODE, Client.GrantType.REFRESH_TOKEN]
RESPONSE_TYPES = [Client.ResponseType.CODE]


# What an ID token tells a sign-in client (with the scopes email and profile).
ID_TOKEN_CLAIMS = (
    "iss",
    "aud",
    "exp",
    "iat",
    "jti",
    "nonce",
    "sub",
    "email",
    "email_verified",
    "email_domain",
    "name",
)

# Schemes a browser would run or read locally rather than hand to an app.
UNSAFE_SCHEMES = {"javascript", "data", "file", "vbscript", "about", "blob", "ftp"}
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def _check_redirect_uri(uri: str) -> None:
    """OAuth 2.1 §2.3.1 and RFC 8252: https, http on a loopback address, or an
    app's own scheme (`cursor://…`); absolute, without a fragment."""
    try:
        parsed = urlparse(uri)
        parsed.port  # noqa: B018 — raises for a port that is not a number
    except ValueError:
        raise ValidationError(f"Invalid redirect URI: {uri}") from None
    scheme = parsed.scheme.lower()
    if not scheme or parsed.fragment or scheme in UNSAFE_SCHEMES:
        raise ValidationError(f"Invalid redirect URI: {uri}")
    if scheme == "http" and parsed.hostname not in LOOPBACK_HOSTS:
        raise ValidationError(
            f"Redirect URI {uri}: http is for loopback addresses only; use https."
        )
    if scheme in ("http", "https") and not parsed.hostname:
        raise ValidationError(f"Invalid redirect URI: {uri}")


def check_sign_in_redirect_uri(uri: str) -> None:
    """A sign-in client is a web app: its callback is https (http on a loopback
    address, for development), with no fragment, no credentials, no wildcard."""
    _check_redirect_uri(uri)
    parsed = urlparse(uri)
    if parsed.scheme not in ("http", "https") or "*" in uri or "@" in parsed.netloc:
        raise ValidationError(
            f"Redirect URI {uri}: give the app's https callback URL, as it is."
        )


class OAuthServerAdapter(DefaultOIDCAdapter):
    scope_display = {**DefaultOIDCAdapter.scope_display, **scopes.DESCRIPTIONS}

    def get_issuer(self) -> str:
        # The origin the protected resource metadata names, whatever host the
        # request came by (RFC 8414: the issuer is where the metadata lives).
        return settings.APP_URL

    def populate_id_token(self, id_token, client, scopes, **kwargs) -> None:
        """The address's domain beside the address: a sign-in client may key
        joining by domain on it, without parsing addresses itself."""
        email = id_token.get("email")
        if isinstance(email, str) and "@" in email:
            id_token["email_domain"] = email.rpartition("@")[2].lower()

    def validate_resource_uris(self, *, uris, **kwargs) -> None:
        if any(uri != mcp_url() for uri in uris):
            raise ValidationError(f"The only resource here is {mcp_url()}.")

    def validate_client_registration(self, *, client, client_metadata, **kwargs):
        """A registered client gets the MCP scopes, whatever it asked for (RFC 7591
        lets the server replace them), and authorization code + refresh only."""
        asked_grants = client.get_grant_types()
        if set(asked_grants) - set(GRANT_TYPES):
            raise ValidationError(
                "grant_types may only be authorization_code and refresh_token."
            )
        if set(client.get_response_types()) - set(RESPONSE_TYPES):
            raise ValidationError('response_types may only be ["code"].')
        for uri in client.get_redirect_uris():
            _check_redirect_uri(uri)
        client.set_grant_types([str(g) for g in GRANT_TYPES])
        client.set_scopes(list(scopes.MCP_SCOPES))
        client.set_default_scopes(list(scopes.MCP_SCOPES))

    def is_cimd_url_allowed(self, url: str) -> bool:
        """A client ID metadata document only from port 443 of a host whose
        addresses are all public (the fetch then connects to those addresses)."""
        try:
            cimd.checked_addresses(url)
        except ValidationError as e:
            logger.warning("Refused client_id URL %s: %s", url, e.message)
            return False
        return True

    def populate_server_metadata(self, data) -> None:
        """RFC 8414 / OpenID Connect discovery metadata for what this server
        offers MCP clients and sign-in clients; no device flow, no implicit or
        hybrid responses."""
        data.pop("device_authorization_endpoint", None)
        data["scopes_supported"] = [*scopes.MCP_SCOPES, *scopes.SIGN_IN_SCOPES]
        data["claims_supported"] = list(ID_TOKEN_CLAIMS)
        data["grant_types_supported"] = [str(g) for g in GRANT_TYPES]
        data["response_types_supported"] = [str(r) for r in RESPONSE_TYPES]
        data["response_modes_supported"] = ["query"]
        data["code_challenge_methods_supported"] = ["S256"]
        data["revocation_endpoint_auth_methods_supported"] = list(
            data["token_endpoint_auth_methods_supported"]
        )
        data["resource_indicators_supported"] = True
        data["client_id_metadata_document_supported"] = oidc_settings.CIMD_ENABLED
