"""Creating API tokens, deleting the account and changing MFA ask for the password
again when the session's last (re-)authentication is older than
ACCOUNT_REAUTHENTICATION_TIMEOUT; after re-authenticating, the request goes through.
"""

from urllib.parse import quote

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.mfa.models import Authenticator
from django.test import Client

from accounts import services
from accounts.models import ApiToken, User
from tests.accounts.mfa import (
    activate_totp,
    age_authentications,
    reauthenticate,
    sign_in,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/accounts/reauthenticate/"


@pytest.fixture
def stale(client, user):
    """Signed in and re-authenticated, longer ago than the timeout."""
    sign_in(client, user)
    reauthenticate(client)
    age_authentications(client, allauth_settings.REAUTHENTICATION_TIMEOUT + 1)
    return client


def _asks_to_reauthenticate(response, path):
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTHENTICATE}?next={quote(path, safe='')}"


def _reauthenticate_then_resume(client, path):
    """Confirm the password on the page the redirect named; allauth then carries on
    with the request it held back."""
    return client.post(
        f"{REAUTHENTICATE}?next={quote(path, safe='')}", {"password": PASSWORD}
    )


def test_creating_a_token_asks_a_stale_session_to_reauthenticate(stale):
    response = stale.post("/account/tokens/", {"token-name": "ci"})
    _asks_to_reauthenticate(response, "/account/tokens/")
    assert not ApiToken.objects.exists()

    resumed = _reauthenticate_then_resume(stale, "/account/tokens/")
    assert resumed.status_code == 200
    assert ApiToken.objects.get().name == "ci"
    assert "pat_" + ApiToken.objects.get().key_id in resumed.content.decode()


def test_a_recent_reauthentication_creates_the_token_at_once(client, user):
    sign_in(client, user)
    reauthenticate(client)
    response = client.post("/account/tokens/", {"token-name": "ci"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(name="ci").exists()


def test_deleting_the_account_asks_a_stale_session_to_reauthenticate(stale, user):
    _asks_to_reauthenticate(stale.get("/account/delete/"), "/account/delete/")
    response = stale.post("/account/delete/", {"confirm_email": user.email})
    _asks_to_reauthenticate(response, "/account/delete/")
    assert User.objects.filter(pk=user.pk).exists()

    _reauthenticate_then_resume(stale, "/account/delete/")
    response = stale.post("/account/delete/", {"confirm_email": user.email})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_activating_totp_asks_a_stale_session_to_reauthenticate(stale):
    path = "/accounts/2fa/totp/activate/"
    _asks_to_reauthenticate(stale.get(path), path)
    _reauthenticate_then_resume(stale, path)
    assert stale.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/accounts/2fa/totp/deactivate/", "/accounts/2fa/recovery-codes/generate/"],
)
def test_changing_active_mfa_asks_a_stale_session_to_reauthenticate(client, user, path):
    sign_in(client, user)
    activate_totp(client)
    age_authentications(client, allauth_settings.REAUTHENTICATION_TIMEOUT + 1)
    _asks_to_reauthenticate(client.get(path), path)
    resumed = _reauthenticate_then_resume(client, path)
    assert resumed["Location"] == path
    assert client.get(path).status_code == 200


def test_deactivating_totp_works_after_reauthenticating(client, user):
    sign_in(client, user)
    activate_totp(client)
    age_authentications(client, allauth_settings.REAUTHENTICATION_TIMEOUT + 1)
    path = "/accounts/2fa/totp/deactivate/"
    _asks_to_reauthenticate(client.post(path, {}), path)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    # The held-back POST goes through once the password is confirmed.
    _reauthenticate_then_resume(client, path)
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
    other = Client()
    sign_in(other, user)  # no code asked any more
    assert other.get("/account/").status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/tokens/", {"token-name": "minted-by-a-token"}),
        ("/account/delete/", {"confirm_email": "x"}),
    ],
)
def test_a_bearer_token_cannot_mint_tokens_or_delete_the_account(user, path, data):
    """No action creates tokens or deletes accounts; the pages need a session."""
    _, secret = services.api_token_create(user=user, name="laptop")
    response = Client().post(path, data, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["laptop"]
    assert User.objects.filter(pk=user.pk).exists()
