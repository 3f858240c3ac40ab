"""RFC 8252 §7.3 for `localhost`: a native app's loopback redirect may use any port.

allauth grants that to `http://127.0.0.1` and `http://[::1]` only; agent hosts also
register `http://localhost/…` and come back on whatever port they listen on. The
client as one request sees it (allauth's per-request cache of clients) lists the
requested URI too when it registered one that differs only in the port. Nothing is
saved: the next request starts from the registered URIs again.
"""

from urllib.parse import urlparse

from allauth.idp.oidc.internal.clientkit import lookup_client
from allauth.idp.oidc.internal.oauthlib.utils import get_validator_context

from accounts.oauth.selectors import is_sign_in_client

LOCALHOST = "localhost"


def _without_port(uri: str):
    parsed = urlparse(uri)
    return (parsed.scheme, parsed.hostname, parsed.path, parsed.query)


def allow_localhost_port(client_id, redirect_uri) -> None:
    """Let this request's `redirect_uri` through allauth's check if it is a
    registered http://localhost URI on another port."""
    if not isinstance(client_id, str) or not isinstance(redirect_uri, str):
        return
    try:
        parsed = urlparse(redirect_uri)
        parsed.port  # noqa: B018 — raises for a port that is not a number
    except ValueError:
        return
    if parsed.scheme != "http" or parsed.hostname != LOCALHOST:
        return
    client = lookup_client(client_id)
    if client is None or is_sign_in_client(client):
        # A sign-in client is a web app: its redirect URIs match exactly.
        return
    registered = client.get_redirect_uris()
    wanted = _without_port(redirect_uri)
    if redirect_uri not in registered and any(
        _without_port(uri) == wanted for uri in registered
    ):
        client.set_redirect_uris([*registered, redirect_uri])
        get_validator_context().clients[client_id] = client
