"""check --deploy refuses an OAuth server without a usable signing key."""

import pytest

from accounts.oauth import checks


def _ids(messages):
    return [m.id for m in messages]


def test_missing_key_is_an_error(settings):
    settings.IDP_OIDC_PRIVATE_KEY = ""
    settings.IDP_OIDC_PRIVATE_KEYS = []
    assert _ids(checks.check_signing_key(None)) == ["accounts.E020"]


def test_unreadable_key_is_an_error(settings):
    settings.IDP_OIDC_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nnope\n"
    assert _ids(checks.check_signing_key(None)) == ["accounts.E021"]


def test_the_test_sessions_key_passes(settings):
    assert settings.IDP_OIDC_PRIVATE_KEY.startswith("-----BEGIN PRIVATE KEY-----")
    assert checks.check_signing_key(None) == []


def test_check_is_a_deploy_check():
    from django.core.checks import registry

    assert checks.check_signing_key in registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert checks.check_signing_key not in registry.registry.get_checks()


def test_oauth_server_tables_are_framework_tables(db):
    from django.db import connection

    from scoping.checks import unscoped_user_tables
    from scoping.registry import agent_tables

    assert not [
        t for t in unscoped_user_tables(connection, require_org=False) if "oidc" in t
    ]
    assert not [t for t in agent_tables(connection) if "oauth" in t or "oidc" in t]


@pytest.mark.slow
def test_local_settings_keep_one_generated_key_across_starts():
    import hashlib
    import stat

    from django.conf import settings

    from tests.processes import clean_env, run_python

    show = (
        "import django, hashlib; django.setup(); from django.conf import settings; "
        "print(hashlib.sha256(settings.IDP_OIDC_PRIVATE_KEY.encode()).hexdigest())"
    )
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.local")
    first, second = (run_python(show, env) for _ in range(2))
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[-1] == second.stdout.split()[-1]
    key_file = settings.BASE_DIR / ".oidc-dev-key.pem"
    digest = hashlib.sha256(key_file.read_bytes()).hexdigest()
    assert first.stdout.split()[-1] == digest
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
