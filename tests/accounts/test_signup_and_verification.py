"""Sign-up, verification by emailed code, sign-in; no account enumeration."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-password-99"


def _code_from(message) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match[1]


def _sign_up(client, email, name="New Person"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "name": name},
    )


def test_sign_up_verify_by_code_then_sign_in(client, mandatory_verification):
    response = _sign_up(client, "New.Person@Example.com")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.person@example.com")
    assert user.name == "New Person"
    # Not signed in before the address is verified.
    assert client.get("/account/").status_code == 302

    [message] = mail.outbox
    assert message.to == ["new.person@example.com"]
    response = client.post("/accounts/confirm-email/", {"code": _code_from(message)})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200  # signed in on verification

    client.post("/accounts/logout/")
    assert client.get("/account/").status_code == 302
    response = client.post(
        "/accounts/login/",
        {"login": "NEW.PERSON@example.com", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_a_wrong_code_does_not_verify(client, mandatory_verification):
    _sign_up(client, "someone@example.com")
    response = client.post("/accounts/confirm-email/", {"code": "AAAAAA"})
    assert response.status_code == 200
    assert client.get("/account/").status_code == 302


def test_unverified_user_cannot_sign_in_when_verification_is_mandatory(
    client, mandatory_verification, password
):
    user = UserFactory(verified=False)
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": password}
    )
    # Sent to enter the code that was just emailed, not into the app.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/account/").status_code == 302
    assert mail.outbox[-1].to == [user.email]


def test_emails_are_unique_whatever_their_case(client, user):
    response = _sign_up(client, user.email.upper())
    assert User.objects.filter(email__iexact=user.email).count() == 1
    assert response.status_code == 200  # the form again (verification is off here)


def test_sign_up_with_a_taken_address_looks_like_any_sign_up(
    client, mandatory_verification, user
):
    fresh = _sign_up(client, "fresh@example.com")
    client.logout()
    taken = _sign_up(client, user.email)
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The owner of the address is told instead, by email.
    assert mail.outbox[-1].to == [user.email]
    assert User.objects.filter(email=user.email).count() == 1


def test_password_reset_answers_alike_for_unknown_addresses(client, user):
    known = client.post("/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_sign_in_failure_says_the_same_for_unknown_address_and_wrong_password(
    client, user
):
    wrong_password = client.post(
        "/accounts/login/", {"login": user.email, "password": "not-the-password-1"}
    )
    unknown = client.post(
        "/accounts/login/", {"login": "nobody@example.com", "password": "whatever-pw-1"}
    )
    assert wrong_password.status_code == unknown.status_code == 200
    assert wrong_password.context["form"].errors == unknown.context["form"].errors


def test_passwords_are_hashed_with_argon2_first():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
