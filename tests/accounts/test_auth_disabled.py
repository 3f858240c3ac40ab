"""AUTH_DISABLED: a real dev user in DEBUG, refused everywhere else."""

import pytest

from accounts.checks import check_auth_disabled
from accounts.models import User
from accounts.services import AUTH_DISABLED_EMAIL
from tests.processes import clean_env, run_python

pytestmark = pytest.mark.django_db


def test_every_request_is_the_real_dev_user_when_debug_is_on(client, settings):
    settings.DEBUG = True
    settings.ACCOUNTS_AUTH_DISABLED = True
    response = client.get("/api/me/")
    assert response.status_code == 200
    assert response.json()["email"] == AUTH_DISABLED_EMAIL
    user = User.objects.get(email=AUTH_DISABLED_EMAIL)
    assert user.emailaddress_set.get().verified
    assert client.get("/account/").status_code == 200


def test_requests_are_refused_if_debug_is_turned_off_at_runtime(client, settings):
    settings.ACCOUNTS_AUTH_DISABLED = True
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/account/")
    assert response.status_code == 500
    assert not User.objects.filter(email=AUTH_DISABLED_EMAIL).exists()


def test_off_by_default_no_request_has_an_identity(client):
    assert client.get("/api/me/").status_code == 401
    assert not User.objects.exists()


@pytest.mark.slow
def test_the_process_refuses_to_start_without_debug():
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.test", AUTH_DISABLED="true")
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "AUTH_DISABLED=true is refused unless DEBUG is on" in result.stderr


@pytest.mark.slow
def test_local_settings_start_with_it():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.local", AUTH_DISABLED="true"
    )
    result = run_python("import django; django.setup()", env)
    assert result.returncode == 0, result.stderr


def test_check_deploy_refuses_it(settings):
    settings.ACCOUNTS_AUTH_DISABLED = True
    assert [m.id for m in check_auth_disabled(None)] == ["accounts.E002"]
    settings.ACCOUNTS_AUTH_DISABLED = False
    assert check_auth_disabled(None) == []
