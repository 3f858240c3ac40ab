"""`manage.py check --deploy` reports the template's own checks."""

import pytest

from config import checks
from tests.config.test_production_settings import GOOD
from tests.processes import clean_env, run_python


def _ids(messages):
    return [message.id for message in messages]


def test_debug_on_is_an_error(settings):
    settings.DEBUG = True
    assert _ids(checks.check_debug_off(None)) == ["config.E001"]
    settings.DEBUG = False
    assert checks.check_debug_off(None) == []


@pytest.mark.parametrize(
    "key", ["short", "django-insecure-" + "x" * 60, "x" * 49], ids=repr
)
def test_weak_secret_key_is_an_error(settings, key):
    settings.SECRET_KEY = key
    assert _ids(checks.check_secret_key(None)) == ["config.E002"]


def test_long_random_secret_key_passes(settings):
    settings.SECRET_KEY = "a8Fq" * 13
    assert checks.check_secret_key(None) == []


@pytest.mark.parametrize("hosts", [[], ["*"], ["app.example.com", "*"]])
def test_open_allowed_hosts_is_an_error(settings, hosts):
    settings.ALLOWED_HOSTS = hosts
    assert _ids(checks.check_allowed_hosts(None)) == ["config.E003"]


def test_named_allowed_hosts_pass(settings):
    settings.ALLOWED_HOSTS = ["app.example.com"]
    assert checks.check_allowed_hosts(None) == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_sqlite_is_an_error(settings):
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
    assert _ids(checks.check_database_not_sqlite(None)) == ["config.E004"]
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}
    assert checks.check_database_not_sqlite(None) == []


def test_filesystem_broker_is_an_error(settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    assert _ids(checks.check_broker_is_a_server(None)) == ["config.E005"]
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert checks.check_broker_is_a_server(None) == []


CHECK_DEPLOY = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy'])"
)


@pytest.mark.slow
def test_check_deploy_passes_for_a_good_production_configuration():
    result = run_python(CHECK_DEPLOY, clean_env(**GOOD))
    assert result.returncode == 0, result.stderr
    assert "config.E" not in result.stdout + result.stderr


@pytest.mark.slow
def test_check_deploy_reports_the_template_checks(tmp_path):
    env = clean_env(
        **{
            **GOOD,
            # The scoping checks open the database; keep the file out of the tree.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
            "CELERY_BROKER_URL": "filesystem://",
            "ALLOWED_HOSTS": "*",
        }
    )
    result = run_python(CHECK_DEPLOY, env)
    assert result.returncode != 0
    for check_id in ("config.E003", "config.E004", "config.E005"):
        assert check_id in result.stderr


def test_check_deploy_refuses_an_oauth_server_without_its_signing_key():
    env = {k: v for k, v in GOOD.items() if k != "IDP_OIDC_PRIVATE_KEY"}
    result = run_python(CHECK_DEPLOY, clean_env(**env))
    assert result.returncode != 0
    assert "accounts.E020" in result.stderr
