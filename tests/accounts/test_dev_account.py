"""The throwaway local account: created once, on the first run, in DEBUG only."""

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.services import dev_account_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(settings):
    settings.DEBUG = True
    settings.ACCOUNTS_DISABLE_AUTO_DEV_ACCOUNT = False


def test_created_once_with_a_verified_address_and_printed(local, capsys, client):
    call_command("ensure_dev_account")
    output = capsys.readouterr().out
    user = User.objects.get()
    assert user.email in output
    password = output.split("password:")[1].split()[0]
    assert user.check_password(password)
    assert user.emailaddress_set.get().verified
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": password}
    )
    assert response.status_code == 302

    call_command("ensure_dev_account")
    assert capsys.readouterr().out == ""
    assert User.objects.count() == 1


def test_never_recreated_after_it_is_deleted(local):
    assert dev_account_ensure() is not None
    User.objects.all().delete()
    assert dev_account_ensure() is None
    assert not User.objects.exists()


def test_not_when_users_exist(local, user):
    assert dev_account_ensure() is None
    assert User.objects.count() == 1


def test_not_when_disabled(local, settings):
    settings.ACCOUNTS_DISABLE_AUTO_DEV_ACCOUNT = True
    assert dev_account_ensure() is None
    assert not User.objects.exists()


def test_never_without_debug(settings):
    settings.DEBUG = False
    settings.ACCOUNTS_DISABLE_AUTO_DEV_ACCOUNT = False
    assert dev_account_ensure() is None
    assert not User.objects.exists()
