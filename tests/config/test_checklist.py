"""The production checklist: each check fires on a bad setting and passes a good one."""

import pytest

from a2a import checks as a2a_checks
from accounts import checks as account_checks
from config import checks as config_checks

pytestmark = pytest.mark.django_db

STRONG = "k" * 40

CASES = [
    # (check, setting overrides that are bad, overrides that are good, id)
    (
        account_checks.check_oauth_state_secret,
        {"ACCOUNTS_OAUTH_STATE_SECRET": ""},
        {"ACCOUNTS_OAUTH_STATE_SECRET": STRONG},
        "accounts.E005",
    ),
    (
        account_checks.check_oauth_state_secret,
        {"ACCOUNTS_OAUTH_STATE_SECRET": "same" * 15, "SECRET_KEY": "same" * 15},
        {"ACCOUNTS_OAUTH_STATE_SECRET": STRONG},
        "accounts.E005",
    ),
    (
        account_checks.check_secrets_encryption_key,
        {"ACCOUNTS_SECRETS_ENCRYPTION_KEY": ""},
        {"ACCOUNTS_SECRETS_ENCRYPTION_KEY": STRONG},
        "accounts.E006",
    ),
    (
        account_checks.check_keys_workspace_fallback,
        {"ACCOUNTS_KEYS_WORKSPACE_FALLBACK": True},
        {"ACCOUNTS_KEYS_WORKSPACE_FALLBACK": False},
        "accounts.W007",
    ),
    (
        a2a_checks.check_a2a_secret,
        {"A2A_SECRET": ""},
        {"A2A_SECRET": STRONG},
        "a2a.E001",
    ),
    (
        a2a_checks.check_a2a_secret,
        {"A2A_SECRET": "x" * 31},
        {"A2A_SECRET": STRONG},
        "a2a.E001",
    ),
    (
        config_checks.check_error_pages_leak_nothing,
        {"DEBUG_PROPAGATE_EXCEPTIONS": True},
        {"DEBUG_PROPAGATE_EXCEPTIONS": False},
        "config.E006",
    ),
    (
        config_checks.check_https,
        {"SESSION_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0},
        {
            "SESSION_COOKIE_SECURE": True,
            "CSRF_COOKIE_SECURE": True,
            "SECURE_HSTS_SECONDS": 3600,
            "SECURE_SSL_REDIRECT": True,
        },
        "config.E007",
    ),
]


@pytest.mark.parametrize(("check", "bad", "good", "check_id"), CASES)
def test_each_check_fires_and_passes(settings, check, bad, good, check_id):
    for name, value in {**good, **bad}.items():
        setattr(settings, name, value)
    assert [m.id for m in check(None)] == [check_id]
    for name, value in good.items():
        setattr(settings, name, value)
    if "SECRET_KEY" in bad:
        settings.SECRET_KEY = "another-" + STRONG
    assert check(None) == []
