"""check --deploy refuses an OAuth server without a usable signing key."""

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
