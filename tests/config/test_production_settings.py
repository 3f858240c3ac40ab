"""config.settings.production refuses to start without what a deployment needs."""

import json

import pytest

from config.settings.base import generated_private_key
from tests.processes import clean_env, run_python

pytestmark = pytest.mark.slow

GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 25 + "-production-secret-key-of-fifty+",
    "DATABASE_URL": "postgres://app@127.0.0.1:5432/app",
    "ALLOWED_HOSTS": "app.example.com",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "SECRETS_ENCRYPTION_KEY": "secrets-at-rest-key-material-0123456789",
    "OAUTH_STATE_SECRET": "oauth-state-signing-key-material-0123456789",
    "A2A_SECRET": "agent-to-agent-shared-key-material-0123456789",
    "IDP_OIDC_PRIVATE_KEY": generated_private_key(),
    # No webhook provider is used, so none needs a secret.
    "WEBHOOK_PROVIDERS": "",
}
SETUP = "import django; django.setup()"


def _start(**env):
    return run_python(SETUP, clean_env(**env))


def test_starts_with_every_required_variable():
    result = _start(**GOOD)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "variable",
    [
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "CELERY_BROKER_URL",
        "SECRETS_ENCRYPTION_KEY",
        "REDIS_URL",
    ],
)
def test_refuses_to_start_without(variable):
    env = {k: v for k, v in GOOD.items() if k != variable}
    result = _start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_a_shared_cache_may_be_named_by_cache_url_instead():
    cache = _production_settings(
        "CACHES", REDIS_URL="", CACHE_URL="redis://127.0.0.1:6379/2"
    )
    assert cache["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/2"


@pytest.mark.parametrize("url", ["locmemcache://", "dummycache://"])
def test_refuses_a_cache_each_process_keeps_to_itself(url):
    """Rate limits and A2A replay protection would count per process."""
    result = _start(**{**GOOD, "REDIS_URL": "", "CACHE_URL": url})
    assert result.returncode != 0
    assert "every process shares" in result.stderr


def test_refuses_a_short_secret_key():
    result = _start(**{**GOOD, "SECRET_KEY": "x" * 49})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_refuses_empty_allowed_hosts():
    result = _start(**{**GOOD, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_values_from_a_dot_env_file_are_read_without_touching_os_environ(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"SECRET_KEY={GOOD['SECRET_KEY']}\n")
    env = clean_env(**{k: v for k, v in GOOD.items() if k != "SECRET_KEY"})
    env["DJANGO_ENV_FILE"] = str(env_file)
    code = (
        f"{SETUP}; import os; from django.conf import settings; "
        "print(settings.SECRET_KEY == os.environ.get('SECRET_KEY', 'absent'),"
        " len(settings.SECRET_KEY))"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", str(len(GOOD["SECRET_KEY"]))]


def _production_settings(*names, **env) -> dict:
    """The values of settings `names` as production computes them under `env`."""
    code = (
        f"{SETUP}; import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    result = run_python(code, clean_env(**{**GOOD, **env}))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_security_settings():
    expected = {
        "DEBUG": False,
        "SESSION_COOKIE_NAME": "__Secure-sessionid",
        "CSRF_COOKIE_NAME": "__Secure-csrftoken",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "X_FRAME_OPTIONS": "DENY",
    }
    assert _production_settings(*expected) == expected


def test_hsts_and_proxy_header_are_configurable():
    values = _production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        SECURE_HSTS_SECONDS="600",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


@pytest.mark.parametrize(
    ("env", "timeout"),
    [({}, 5), ({"DATABASE_CONNECT_TIMEOUT": "2"}, 2)],
)
def test_database_connections_are_reused_checked_and_bounded(env, timeout):
    database = _production_settings("DATABASES", **env)["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["connect_timeout"] == timeout
