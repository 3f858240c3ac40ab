"""OAuth state: signed, expiring, single-use, bound to the session; redirect URIs only
to this origin's callback paths."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from accounts.oauth_state import (
    StateRefused,
    is_allowed_oauth_redirect_uri,
    sign_oauth_state,
    verify_oauth_state,
)

pytestmark = pytest.mark.django_db


def _request(session=None):
    request = RequestFactory().get("/")
    request.session = session if session is not None else SessionStore()
    return request


def test_round_trip():
    request = _request()
    token = sign_oauth_state(request, {"provider": "drive"}, return_path="/settings/")
    assert verify_oauth_state(request, token) == {
        "payload": {"provider": "drive"},
        "return_path": "/settings/",
    }


def test_a_tampered_state_is_refused():
    request = _request()
    token = sign_oauth_state(request, {"provider": "drive"})
    body, _, signature = token.partition(".")
    tampered = body[:-1] + ("A" if body[-1] != "A" else "B") + "." + signature
    with pytest.raises(StateRefused):
        verify_oauth_state(request, tampered)
    with pytest.raises(StateRefused):
        verify_oauth_state(request, body + ".")


def test_an_expired_state_is_refused(monkeypatch):
    request = _request()
    token = sign_oauth_state(request, {})
    future = time.time() + 11 * 60
    monkeypatch.setattr(time, "time", lambda: future)
    with pytest.raises(StateRefused, match="expired"):
        verify_oauth_state(request, token)


def test_a_state_works_once():
    request = _request()
    token = sign_oauth_state(request, {})
    verify_oauth_state(request, token)
    with pytest.raises(StateRefused):
        verify_oauth_state(request, token)


def test_another_sessions_state_is_refused():
    token = sign_oauth_state(_request(), {})
    with pytest.raises(StateRefused):
        verify_oauth_state(_request(), token)


def test_a_state_signed_with_another_secret_is_refused(settings):
    request = _request()
    token = sign_oauth_state(request, {})
    settings.ACCOUNTS_OAUTH_STATE_SECRET = "a-different-oauth-state-secret-" + "x" * 30
    with pytest.raises(StateRefused):
        verify_oauth_state(request, token)


@pytest.mark.parametrize("path", ["//evil.com", "https://evil.com/", "javascript:x"])
def test_a_hostile_return_path_becomes_home(path):
    request = _request()
    token = sign_oauth_state(request, {}, return_path=path)
    assert verify_oauth_state(request, token)["return_path"] == "/"


@pytest.mark.parametrize(
    ("uri", "allowed"),
    [
        ("http://testserver/accounts/google/login/callback/", True),
        ("http://testserver/accounts/github/login/callback/", True),
        ("https://testserver/accounts/google/login/callback/", False),
        ("http://evil.com/accounts/google/login/callback/", False),
        ("http://testserver.evil.com/accounts/google/login/callback/", False),
        ("http://user@testserver/accounts/google/login/callback/", False),
        ("http://testserver/accounts/google/login/callback/?next=//evil.com", False),
        ("http://testserver/somewhere/else/", False),
        ("http://testserver/accounts/google/login/callback/#x", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_redirect_uri_allowlist(uri, allowed):
    assert is_allowed_oauth_redirect_uri(uri, _request()) is allowed
