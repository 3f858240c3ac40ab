"""Personal API tokens and ACCESS_TOKENS authenticate API calls; sessions need CSRF."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from accounts import services
from accounts.models import ApiToken, AuditEvent
from tests.accounts.mfa import reauthenticate

pytestmark = pytest.mark.django_db


def _me(client, token=None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.get("/api/me/", headers=headers)


@pytest.fixture
def token(user):
    _, secret = services.api_token_create(user=user, name="laptop")
    return secret


def test_valid_token_authenticates_as_its_owner(client, user, token):
    response = _me(client, token)
    assert response.status_code == 200
    assert response.json() == {"email": user.email, "name": user.name, "auth": "token"}


def test_token_is_stored_only_as_a_sha256_digest(user, token):
    row = ApiToken.objects.get(user=user)
    assert token.startswith("pat_")
    assert token not in str(row.__dict__)
    import hashlib

    assert row.digest == hashlib.sha256(token.encode()).hexdigest()


def test_revoked_token_is_refused(client, user, token):
    services.api_token_revoke(user=user, token_id=ApiToken.objects.get().pk)
    response = _me(client, token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "wrong",
    [
        "pat_aaaaaaaaaaaa_" + "A" * 43,
        "not-a-token",
        "",
    ],
)
def test_wrong_token_is_refused(client, token, wrong):
    response = client.get("/api/me/", headers={"Authorization": f"Bearer {wrong}"})
    assert response.status_code == 401


def test_a_token_with_a_changed_secret_is_refused(client, token):
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert _me(client, tampered).status_code == 401


def test_another_users_token_authenticates_only_as_that_user(client, user, other_user):
    _, theirs = services.api_token_create(user=other_user, name="theirs")
    response = _me(client, theirs)
    assert response.json()["email"] == other_user.email


def test_a_user_cannot_revoke_another_users_token(user, other_user):
    theirs, _ = services.api_token_create(user=other_user, name="theirs")
    from config.errors import NotFound

    with pytest.raises(NotFound):
        services.api_token_revoke(user=user, token_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_inactive_users_token_is_refused(client, user, token):
    user.is_active = False
    user.save()
    assert _me(client, token).status_code == 401


def test_last_used_time_is_recorded(client, user, token):
    assert ApiToken.objects.get().last_used_at is None
    _me(client, token)
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_keeps_working_once_its_last_use_is_recorded(client, user, token):
    # The token's row is read with raw SQL: its times must come back as the ORM's
    # (aware), or comparing them with the last use failed on SQLite (a 500).
    for _ in range(3):
        assert _me(client, token).status_code == 200
    ApiToken.objects.update(
        last_used_at=ApiToken.objects.get().last_used_at - timedelta(hours=1)
    )
    assert _me(client, token).status_code == 200


def test_token_page_shows_the_secret_once_then_revokes(client, user):
    client.force_login(user)
    reauthenticate(client)
    response = client.post("/account/tokens/", {"token-name": "ci"})
    assert response.status_code == 200
    secret = re.search(
        r"(pat_[a-z0-9]{12}_[A-Za-z0-9_-]{43})", response.content.decode()
    )[1]
    assert _me(Client(), secret).status_code == 200
    # Never again: not on the page, not in a message.
    page = client.get("/account/").content.decode()
    assert secret not in page
    assert "pat_" + ApiToken.objects.get().key_id in page

    revoke = client.post(f"/account/tokens/{ApiToken.objects.get().pk}/revoke/")
    assert revoke.status_code == 302
    assert _me(Client(), secret).status_code == 401


def test_duplicate_active_token_name_is_a_field_error(client, user):
    client.force_login(user)
    reauthenticate(client)
    client.post("/account/tokens/", {"token-name": "ci"})
    again = client.post("/account/tokens/", {"token-name": "ci"})
    assert "An active token has this name." in again.content.decode()
    assert ApiToken.objects.count() == 1


class TestAccessTokens:
    STATIC = "static-token-for-a-build-server-0123456789"

    @pytest.fixture(autouse=True)
    def _configured(self, settings, user):
        settings.ACCOUNTS_ACCESS_TOKENS = {self.STATIC: user.email}

    def test_static_token_authenticates_as_its_bound_user(self, client, user):
        response = _me(client, self.STATIC)
        assert response.status_code == 200
        assert response.json()["email"] == user.email
        assert response.json()["auth"] == "access_token"

    def test_unknown_static_token_is_refused(self, client):
        assert _me(client, self.STATIC + "x").status_code == 401

    def test_a_token_bound_to_no_existing_user_is_refused(self, client, settings):
        settings.ACCOUNTS_ACCESS_TOKENS = {self.STATIC: "ghost@example.com"}
        assert _me(client, self.STATIC).status_code == 401

    def test_static_token_never_signs_a_browser_in(self, client):
        response = client.get(
            "/account/", headers={"Authorization": f"Bearer {self.STATIC}"}
        )
        assert response.status_code == 302  # to sign-in: tokens are for /api/ only


def test_session_post_needs_csrf_and_token_post_does_not(user, token):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    # POST to a GET-only endpoint: CSRF is checked before the method is.
    with_session = browser.post("/api/me/", {}, content_type="application/json")
    assert with_session.status_code == 403
    assert with_session.json()["error"]["code"] == "permission_denied"
    with_token = Client(enforce_csrf_checks=True).post(
        "/api/me/",
        {},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert with_token.status_code == 405


def test_token_create_and_revoke_are_audited_without_the_secret(user):
    token, secret = services.api_token_create(user=user, name="audited")
    services.api_token_revoke(user=user, token_id=token.pk)
    events = AuditEvent.objects.filter(actor=user).values_list("action", "metadata")
    actions = [action for action, _ in events]
    assert set(actions) == {"api_token.created", "api_token.revoked"}
    _, _, random_part = secret.split("_")  # exactly three parts, always
    for _, metadata in events:
        assert secret not in str(metadata)
        assert random_part not in str(metadata)
