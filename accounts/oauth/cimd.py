"""Client ID metadata documents, fetched safely: an agent host's `client_id` is an
https URL whose JSON document the server reads (allauth's `internal/cimd.py`).

allauth would fetch any https URL a client names, internal addresses included (a
server-side request forgery), and would let the document choose the client's
scopes. Here a document is fetched only from port 443 of a host every one of whose
addresses is global, the connection goes to the addresses that were checked (a
second DNS answer cannot rebind it to an internal one), no proxy is used, and the
client the document describes passes the same rules as a registered one (MCP
scopes only, authorization code + refresh, safe redirect URIs).
"""

import ipaddress
import json
import logging
import socket
from http import HTTPStatus
from urllib.parse import urlparse

import requests
from allauth.idp.oidc.internal import cimd as allauth_cimd
from django.core.exceptions import ValidationError
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError
from urllib3.util import connection

from accounts.app_settings import app_settings

logger = logging.getLogger(__name__)

HTTPS_PORT = 443


def address_is_global(address: str) -> bool:
    """Whether `address` is on the public internet: not loopback, private,
    link-local (169.254.169.254, the cloud metadata service), unique-local,
    multicast, reserved or unspecified; an IPv4-mapped IPv6 address is judged by
    the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    # Python before 3.13 judges ::ffff:127.0.0.1 as an IPv6 address, global.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _allowed_anyway(host: str, port: int | None) -> bool:
    """A host the (test and local) setting lets through; check --deploy refuses
    the setting in production."""
    allowed = app_settings.OAUTH_CIMD_ALLOWED_HOSTS
    return host in allowed or f"{host}:{port}" in allowed


def checked_addresses(url: str) -> list[str]:
    """The addresses a document at `url` may be fetched from, resolved once; raises
    ValidationError for an IP literal, a port other than 443, a host that does not
    resolve or one that resolves to any address that is not global."""
    parsed = urlparse(url)
    try:
        port = parsed.port
    except ValueError:
        raise ValidationError("client_id has an invalid port.") from None
    host = parsed.hostname or ""
    if _is_ip_literal(host):
        raise ValidationError("client_id must name a host, not an IP address.")
    exempt = _allowed_anyway(host, port)
    if port not in (None, HTTPS_PORT) and not exempt:
        raise ValidationError("client_id must use the https port, 443.")
    try:
        infos = socket.getaddrinfo(
            host, port or HTTPS_PORT, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError):
        raise ValidationError("client_id's host does not resolve.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise ValidationError("client_id's host does not resolve.")
    if not exempt and not all(address_is_global(a) for a in addresses):
        raise ValidationError("client_id's host has an address that is not public.")
    return addresses


class _PinnedHTTPSConnection(HTTPSConnection):
    """Connects to the checked addresses instead of resolving the host again; the
    host still names the server for SNI, certificate checks and Host."""

    addresses: tuple[str, ...] = ()

    def _new_conn(self) -> socket.socket:
        error: OSError | None = None
        for address in self.addresses:
            try:
                return connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except OSError as e:
                error = e
        raise NewConnectionError(self, f"Failed to connect: {error}")


def _session_pinned_to(addresses: list[str]) -> requests.Session:
    connection_class = type(
        "PinnedConnection", (_PinnedHTTPSConnection,), {"addresses": tuple(addresses)}
    )
    pool_class = type(
        "PinnedPool", (HTTPSConnectionPool,), {"ConnectionCls": connection_class}
    )
    adapter = HTTPAdapter(max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {"https": pool_class}
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", HTTPAdapter())  # never used: client_id is https
    return session


def fetch_metadata(client_id: str):
    """allauth's fetch (one GET, no redirects, 1 s, 2 KB, JSON), connected to the
    addresses `checked_addresses` approved."""
    addresses = checked_addresses(client_id)
    with _session_pinned_to(addresses) as session:
        response = session.get(
            client_id,
            timeout=allauth_cimd.FETCH_TIMEOUT,
            headers={"Accept": "application/json"},
            stream=True,
            allow_redirects=False,
            # A proxy would resolve the host itself; REQUESTS_CA_BUNDLE still counts.
            proxies={"https": None, "all": None},
        )
        try:
            if response.status_code != HTTPStatus.OK:
                raise ValidationError(
                    f"CIMD fetch returned HTTP {response.status_code}."
                )
            limit = allauth_cimd.MAX_RESPONSE_SIZE
            body = next(response.iter_content(chunk_size=limit + 1), b"")
            if len(body) > limit:
                raise ValidationError("CIMD response too large.")
        finally:
            response.close()
    try:
        return json.loads(body)
    except ValueError as e:
        raise ValidationError(f"CIMD response is not valid JSON: {e}") from e


_allauth_validate_metadata = allauth_cimd.validate_metadata


def validate_metadata(client_id, parsed, metadata):
    """allauth's reading of the document, then the rules a registered client
    meets: the MCP scopes whatever the document names, authorization code and
    refresh only, safe redirect URIs."""
    from allauth.idp.oidc.adapter import get_adapter

    client = _allauth_validate_metadata(client_id, parsed, metadata)
    get_adapter().validate_client_registration(client=client, client_metadata=metadata)
    return client


_allauth_lookup_client = allauth_cimd.lookup_client


def lookup_client(client_id, client):
    """allauth's lookup, for a client id that is a string: a token request that
    authenticates with HTTP Basic only (RFC 6749 §2.3.1, as sign-in clients do)
    has none in its body, and allauth asks with None, which its CIMD check does
    not survive (a 500)."""
    if not isinstance(client_id, str):
        return client
    return _allauth_lookup_client(client_id, client)


def install() -> None:
    """Put the safe fetch and the MCP rules into allauth's CIMD code.

    allauth 65.21 has no hook for either: `is_cimd_url_allowed` sees only the URL,
    and `requests` would resolve the host again when it connects (a DNS answer
    that changed in between would reach an internal address); and no adapter
    method sees a client built from a document. These functions are looked up by
    name when a client is fetched, so replacing them here takes effect.
    """
    allauth_cimd.fetch_metadata = fetch_metadata
    allauth_cimd.validate_metadata = validate_metadata
    allauth_cimd.lookup_client = lookup_client
