"""The one protected resource this server issues tokens for: the MCP endpoint."""

from django.conf import settings

MCP_PATH = "/mcp"
METADATA_PATH = "/.well-known/oauth-protected-resource"


def mcp_url() -> str:
    """The absolute URL of /mcp: the `resource` (RFC 8707) every grant is bound to."""
    return f"{settings.APP_URL}{MCP_PATH}"


def resource_metadata_url() -> str:
    """Where a client learns how to get a token for /mcp (RFC 9728)."""
    return f"{settings.APP_URL}{METADATA_PATH}{MCP_PATH}"


def challenge(*, error: str = "") -> str:
    """`WWW-Authenticate` for a request to /mcp without a usable token (RFC 6750,
    RFC 9728): where to find the authorization server, and why the token failed."""
    parts = [f'error="{error}"'] if error else []
    parts.append(f'resource_metadata="{resource_metadata_url()}"')
    return "Bearer " + ", ".join(parts)
