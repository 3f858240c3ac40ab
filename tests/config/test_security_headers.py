"""Every page carries the security headers and a strict Content-Security-Policy."""

import re

import pytest


@pytest.fixture
def home(client):
    return client.get("/")


def _csp(response) -> dict[str, list[str]]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def test_csp_allows_scripts_only_from_self_or_with_the_nonce(home):
    policy = _csp(home)
    assert policy["default-src"] == ["'self'"]
    script_sources = policy["script-src"]
    assert "'self'" in script_sources
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_pages_have_no_inline_script_or_event_handler(home):
    html = home.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"


@pytest.mark.urls("tests.config.urls")
def test_a_page_that_uses_the_nonce_gets_it_in_the_policy(client):
    first = client.get("/test/nonce")
    second = client.get("/test/nonce")
    nonces = []
    for response in (first, second):
        nonce = re.search(r"nonce='([^']+)'", response.content.decode())[1]
        assert f"'nonce-{nonce}'" in _csp(response)["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_security_header(home, header, value):
    assert home[header] == value


def test_hsts_on_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
