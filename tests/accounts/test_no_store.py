"""Account pages are answered `Cache-Control: no-store`: no browser or proxy keeps
them (a shared computer's back button, a caching proxy)."""

import pytest
from django.test import Client

from tests.accounts.mfa import activate_totp, reauthenticate, sign_in

pytestmark = pytest.mark.django_db

SIGNED_OUT_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
]
SIGNED_IN_PAGES = [
    "/account/",
    "/account/delete/",
    "/account/export/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/sessions/",
    "/accounts/3rdparty/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
]


def _assert_no_store(response):
    assert response.status_code == 200, response
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives


@pytest.mark.parametrize("path", SIGNED_OUT_PAGES)
def test_signed_out_account_pages_are_not_stored(path):
    _assert_no_store(Client().get(path))


@pytest.fixture
def signed_in(client, user):
    sign_in(client, user)
    activate_totp(client)  # MFA pages exist, and it re-authenticates first
    return client


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_account_pages_are_not_stored(signed_in, path):
    _assert_no_store(signed_in.get(path))


def test_the_page_with_a_new_token_is_not_stored(client, user):
    client.force_login(user)
    reauthenticate(client)
    _assert_no_store(client.post("/account/tokens/", {"token-name": "ci"}))


def test_the_totp_setup_page_with_its_secret_is_not_stored(client, user):
    client.force_login(user)
    reauthenticate(client)
    _assert_no_store(client.get("/accounts/2fa/totp/activate/"))


def test_other_pages_keep_their_own_caching(client, user):
    client.force_login(user)
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")
