"""allauth's forms show each error under its own field, tied to the input, not
above the label where it reads as the previous field's."""

import re

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _field(page: str, field_id: str) -> str:
    """The markup of one field: from its wrapper to the next field's."""
    start = page.index(f'for="{field_id}"')
    start = page.rindex('<div class="field', 0, start)
    following = page.find('<div class="field', start + 1)
    return page[start : following if following != -1 else len(page)]


def test_an_error_stands_under_its_own_input():
    UserFactory(email="taken@example.com")
    page = (
        Client()
        .post(
            "/accounts/signup/",
            {"email": "taken@example.com", "password1": "x", "password2": "y"},
        )
        .content.decode()
    )
    email = _field(page, "id_email")
    assert "field-invalid" in email
    assert email.index('id="id_email"') < email.index('id="id_email_error"')
    assert re.search(r'aria-describedby="[^"]*\bid_email_error\b', email)
    assert 'aria-invalid="true"' in email
    errors = email[email.index('id="id_email_error"') :]
    assert "already" in errors.lower()  # allauth: "A user is already registered…"


def test_a_valid_field_carries_no_error_markup():
    page = (
        Client()
        .post(
            "/accounts/signup/",
            {"email": "fresh@example.com", "password1": "x", "password2": "y"},
        )
        .content.decode()
    )
    email = _field(page, "id_email")
    assert "field-invalid" not in email
    assert "aria-invalid" not in email
