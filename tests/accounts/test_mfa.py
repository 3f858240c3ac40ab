"""TOTP and recovery codes guard sign-in; sessions can be listed and ended."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client

from tests.accounts.mfa import activate_totp, current_code, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_with_totp_a_password_alone_does_not_sign_in(client, user):
    sign_in(client, user)
    secret, _ = activate_totp(client)
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    other = Client()
    response = other.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert other.get("/account/").status_code == 302  # not yet

    wrong = other.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert other.get("/account/").status_code == 302

    right = other.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert right.status_code == 302
    assert other.get("/account/").status_code == 200


def test_recovery_codes_are_generated_and_one_signs_in(client, user):
    sign_in(client, user)
    activate_totp(client)
    page = client.get("/accounts/2fa/recovery-codes/")
    codes = page.context["unused_codes"]
    assert len(codes) >= 8

    other = Client()
    other.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = other.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert other.get("/account/").status_code == 200


def test_user_lists_and_ends_other_sessions(user):
    laptop, phone = Client(), Client()
    sign_in(laptop, user)
    sign_in(phone, user)
    assert UserSession.objects.filter(user=user).count() == 2
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    laptop.post("/accounts/sessions/", {"action": "logout"})
    assert phone.get("/account/").status_code == 302  # ended
    assert laptop.get("/account/").status_code == 200  # this one kept
