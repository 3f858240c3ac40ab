"""Client ID metadata documents: an https client_id whose document is fetched only
from public addresses on port 443, over a connection pinned to the checked
addresses, and whose client may only ask for the MCP scopes."""

import datetime
import json
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from allauth.core.context import request_context
from allauth.idp.oidc.internal import clientkit
from allauth.idp.oidc.models import Client
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import RequestFactory

from accounts.oauth import checks, cimd
from accounts.oauth.adapter import OAuthServerAdapter
from tests.actions.mcp_calls import tool_names

from .conftest import REDIRECT_URI, query_of

# A name no resolver knows: reaching the test server by it proves the fetch used
# the pinned address, not a second lookup.
UNRESOLVABLE_HOST = "cimd.invalid"


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, signing_key, *, ca, sans=()):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                signing_key.public_key()
            ),
            critical=False,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]),
            critical=False,
        )
    return builder.sign(signing_key, hashes.SHA256())


class _DocumentHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append((self.path, self.headers.get("Host")))
        body = json.dumps(self.server.documents.get(self.path, {})).encode()
        self.send_response(200 if self.path in self.server.documents else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 with a certificate for localhost and
    UNRESOLVABLE_HOST from a throwaway CA; `documents` maps paths to JSON."""
    folder = tmp_path_factory.mktemp("cimd-tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certificate("Test CA", "Test CA", ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(
        "localhost",
        "Test CA",
        key.public_key(),
        ca_key,
        ca=False,
        sans=("localhost", UNRESOLVABLE_HOST),
    )
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DocumentHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.documents = {}
    server.hits = []
    server.ca_path = str(folder / "ca.pem")
    server.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def document_server(https_server, monkeypatch, settings):
    """The server, trusted (its CA) and let through the guard for this test."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", https_server.ca_path)
    settings.ACCOUNTS_OAUTH_CIMD_ALLOWED_HOSTS = [f"localhost:{https_server.port}"]
    https_server.documents.clear()
    https_server.hits.clear()
    return https_server


def publish(server, **metadata) -> str:
    """Serve a client document; its URL (the client_id)."""
    client_id = f"https://localhost:{server.port}/agent/client.json"
    server.documents["/agent/client.json"] = {
        "client_id": client_id,
        "client_name": "Document Agent",
        "redirect_uris": [REDIRECT_URI],
        "grant_types": ["authorization_code", "refresh_token"],
        "token_endpoint_auth_method": "none",
        **metadata,
    }
    return client_id


def lookup(client_id):
    """allauth's client lookup as in a request: fetches the document if needed."""
    with request_context(RequestFactory().get("/identity/o/authorize")):
        return clientkit.lookup_client(client_id)


# Audit hooks cannot be removed: this one stays installed and records only while
# the `connects` fixture runs.
_connects: list | None = None


def _record_connects(event, args):
    if event == "socket.connect" and _connects is not None:
        _connects.append(args[1])


sys.addaudithook(_record_connects)


@pytest.fixture
def connects():
    """The addresses sockets connect to while the test runs."""
    global _connects
    _connects = []
    yield _connects
    _connects = None


# --- The guard ----------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",  # loopback
        "::1",
        "10.1.2.3",  # private
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # link-local: the cloud metadata service
        "fe80::1",
        "fd00::1",  # unique-local
        "224.0.0.1",  # multicast
        "ff0e::1",
        "240.0.0.1",  # reserved
        "0.0.0.0",  # noqa: S104 — unspecified, not a bind
        "::",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "100.64.0.1",  # shared (carrier-grade NAT)
    ],
)
def test_non_global_addresses_are_refused(address):
    assert not cimd.address_is_global(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111"])
def test_global_addresses_pass(address):
    assert cimd.address_is_global(address)


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/client.json",  # a name that resolves to 127.0.0.1
        "https://127.0.0.1/client.json",
        "https://[::1]/client.json",
        "https://10.0.0.5/client.json",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:127.0.0.1]/client.json",
        "https://93.184.215.14/client.json",  # a public IP literal: no name
        "https://example.com:8443/client.json",  # not port 443
    ],
)
def test_guard_refuses_without_connecting(url, db, connects):
    assert not OAuthServerAdapter().is_cimd_url_allowed(url)
    assert lookup(url) is None
    assert connects == []
    assert not Client.objects.filter(id=url).exists()


def test_guard_refuses_a_hostname_that_resolves_to_loopback():
    with pytest.raises(Exception, match="not public"):
        cimd.checked_addresses("https://localhost/client.json")


def test_guard_refuses_other_ports_even_on_a_served_host(document_server, settings, db):
    settings.ACCOUNTS_OAUTH_CIMD_ALLOWED_HOSTS = []
    client_id = publish(document_server)
    assert lookup(client_id) is None
    assert document_server.hits == []


def test_fetch_connects_to_the_checked_address(document_server):
    """The fetch does not resolve the host again (a rebinding DNS answer cannot
    steer it), and still names the host for TLS and Host."""
    url = f"https://{UNRESOLVABLE_HOST}:{document_server.port}/doc.json"
    document_server.documents["/doc.json"] = {"pinned": True}
    session = cimd._session_pinned_to(["127.0.0.1"])
    response = session.get(url, proxies={"https": None, "all": None}, timeout=5)
    assert response.json() == {"pinned": True}
    assert document_server.hits == [
        ("/doc.json", f"{UNRESOLVABLE_HOST}:{document_server.port}")
    ]


def test_lookup_fetches_through_the_pinned_session_without_proxy(
    document_server, db, monkeypatch
):
    """allauth's own fetch would go through this (dead) proxy; ours connects
    to the checked address itself."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    client_id = publish(document_server)
    assert lookup(client_id) is not None
    assert len(document_server.hits) == 1


def test_allowed_hosts_setting_is_a_deploy_error(settings):
    settings.ACCOUNTS_OAUTH_CIMD_ALLOWED_HOSTS = ["localhost:8443"]
    settings.DEBUG = False
    assert [m.id for m in checks.check_cimd_allowed_hosts(None)] == ["accounts.E022"]
    settings.ACCOUNTS_OAUTH_CIMD_ALLOWED_HOSTS = []
    assert checks.check_cimd_allowed_hosts(None) == []


# --- The client a document describes --------------------------------------------


def test_document_scopes_become_the_mcp_scopes(document_server, db):
    client_id = publish(document_server, scope="openid profile")
    client = lookup(client_id)
    assert client is not None
    assert client.get_scopes() == ["mcp:read", "mcp:write"]
    assert client.get_default_scopes() == ["mcp:read", "mcp:write"]
    stored = Client.objects.get(id=client_id)
    assert stored.get_scopes() == ["mcp:read", "mcp:write"]
    assert stored.type == Client.Type.PUBLIC


def test_document_with_other_grants_is_refused(document_server, db):
    client_id = publish(document_server, grant_types=["client_credentials"])
    assert lookup(client_id) is None


def test_document_with_unsafe_redirect_is_refused(document_server, db):
    client_id = publish(document_server, redirect_uris=["http://evil.example/cb"])
    assert lookup(client_id) is None


def test_metadata_advertises_cimd(client, db, settings):
    data = client.get("/.well-known/oauth-authorization-server").json()
    assert data["client_id_metadata_document_supported"] is True
    settings.IDP_OIDC_CIMD_ENABLED = False
    data = client.get("/.well-known/oauth-authorization-server").json()
    assert data["client_id_metadata_document_supported"] is False


def test_switched_off_nothing_is_fetched(document_server, db, settings):
    settings.IDP_OIDC_CIMD_ENABLED = False
    client_id = publish(document_server)
    assert lookup(client_id) is None
    assert document_server.hits == []


# --- The whole flow ---------------------------------------------------------------


def test_full_flow_with_a_document_client(document_server, flow):
    client_id = publish(document_server, scope="openid profile")
    tokens = flow.tokens(client_id)
    assert set(tokens.scope.split()) == {"mcp:read", "mcp:write"}
    assert document_server.hits[0][0] == "/agent/client.json"
    headers = {"Authorization": f"Bearer {tokens.access_token}"}
    assert tool_names(headers)
    refreshed = flow.refresh(client_id, tokens.refresh_token)
    assert refreshed.status_code == 200, refreshed.content


def test_document_client_cannot_ask_for_openid(document_server, flow):
    from .conftest import pkce_pair

    client_id = publish(document_server, scope="openid profile")
    _, challenge = pkce_pair()
    response = flow.authorize(
        flow.authorize_params(client_id, challenge, scope="openid mcp:read")
    )
    assert response.status_code == 302
    assert query_of(response)["error"] == "invalid_scope"


def test_document_client_needs_pkce(document_server, flow):
    client_id = publish(document_server)
    params = flow.authorize_params(
        client_id, None, code_challenge_method=None, code_challenge=None
    )
    response = flow.authorize(params)
    assert response.status_code == 302
    assert query_of(response)["error"] == "invalid_request"
