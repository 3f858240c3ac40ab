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
