import pytest
from django.db import IntegrityError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_email_is_stored_lowercase():
    user = User.objects.create_user(
        email="  Mixed.Case@Example.COM ", password="x" * 12
    )
    assert user.email == "mixed.case@example.com"


def test_two_users_cannot_share_an_address_in_any_case():
    User.objects.create_user(email="a@example.com")
    with pytest.raises(IntegrityError):
        # Bypass the manager's normalisation: the database itself refuses.
        User(email="A@Example.com").save()


def test_lookup_by_email_ignores_case():
    user = User.objects.create_user(email="a@example.com")
    assert User.objects.get_by_natural_key("A@EXAMPLE.COM") == user


def test_superuser_is_staff():
    admin = User.objects.create_superuser(email="root@example.com", password="x" * 12)
    assert admin.is_staff
    assert admin.is_superuser
