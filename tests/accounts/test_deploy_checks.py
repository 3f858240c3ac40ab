"""check --deploy refuses unsafe sign-in settings."""

import pytest

from accounts import checks


def _ids(messages):
    return [m.id for m in messages]


def test_skipped_verification_is_an_error(settings):
    settings.ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = True
    assert _ids(checks.check_email_verification(None)) == ["accounts.E001"]
    settings.ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = False
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    assert _ids(checks.check_email_verification(None)) == ["accounts.E001"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    assert checks.check_email_verification(None) == []


def test_proxy_header_without_trusted_proxies_is_an_error(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    assert _ids(checks.check_trusted_proxies(None)) == ["accounts.E003"]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert checks.check_trusted_proxies(None) == []
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert checks.check_trusted_proxies(None) == []


def test_no_proxy_header_needs_no_trusted_proxies(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert checks.check_trusted_proxies(None) == []


@pytest.mark.parametrize(
    ("limits", "backend", "expected"),
    [
        (False, "django.core.cache.backends.redis.RedisCache", ["accounts.E004"]),
        ({}, "django.core.cache.backends.dummy.DummyCache", ["accounts.E004"]),
        ({}, "django.core.cache.backends.locmem.LocMemCache", ["accounts.W004"]),
        ({}, "django.core.cache.backends.redis.RedisCache", []),
    ],
)
def test_rate_limits_need_a_real_shared_cache(settings, limits, backend, expected):
    settings.ACCOUNT_RATE_LIMITS = limits
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert _ids(checks.check_rate_limits(None)) == expected


def test_short_access_tokens_are_an_error(settings):
    settings.ACCOUNTS_ACCESS_TOKENS = {"short": "a@example.com"}
    assert _ids(checks.check_access_tokens(None)) == ["accounts.E010"]
    settings.ACCOUNTS_ACCESS_TOKENS = {"x" * 32: "a@example.com"}
    assert checks.check_access_tokens(None) == []


def test_an_identity_hub_off_https_is_an_error(settings):
    settings.IDENTITY_HUB_URL = "http://hub.example"
    assert _ids(checks.check_identity_hub_url(None)) == ["accounts.E011"]
    settings.IDENTITY_HUB_URL = "https://hub.example"
    assert checks.check_identity_hub_url(None) == []
    settings.IDENTITY_HUB_URL = ""
    assert checks.check_identity_hub_url(None) == []
