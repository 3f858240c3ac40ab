"""Each app's settings have their defaults in its app_settings module, a project
overrides them as `<APP>_<NAME>`, and config/settings only maps the environment
variables onto them."""

import json

import pytest

from a2a.app_settings import app_settings as a2a
from accounts.app_settings import app_settings as accounts
from actions.app_settings import app_settings as actions
from orgs.app_settings import app_settings as orgs
from scoping.app_settings import app_settings as scoping
from tests.processes import clean_env, run_python
from webhooks.app_settings import app_settings as webhooks

EVERY_PROVIDER = [
    "resend",
    "resend-inbound",
    "sendgrid",
    "sendgrid-inbound",
    "slack",
    "telegram",
    "whatsapp",
    "recall",
    "deepgram",
    "zoom",
    "pubsub",
]

# (the app's settings, the Django setting, the property, its default, an override)
CASES = [
    (
        accounts,
        "ACCOUNTS_API_AUTH_FAILURE_RATE",
        "API_AUTH_FAILURE_RATE",
        "30/10m",
        "1/m",
    ),
    (accounts, "ACCOUNTS_AUTH_DISABLED", "AUTH_DISABLED", False, True),
    (
        accounts,
        "ACCOUNTS_DISABLE_AUTO_DEV_ACCOUNT",
        "DISABLE_AUTO_DEV_ACCOUNT",
        False,
        True,
    ),
    (accounts, "ACCOUNTS_ACCESS_TOKENS", "ACCESS_TOKENS", {}, {"t" * 32: "a@b.test"}),
    (
        accounts,
        "ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION",
        "AUTH_SKIP_EMAIL_VERIFICATION",
        False,
        True,
    ),
    (accounts, "ACCOUNTS_OAUTH_STATE_SECRET", "OAUTH_STATE_SECRET", "", "s" * 40),
    (
        accounts,
        "ACCOUNTS_OAUTH_CALLBACK_PATHS",
        "OAUTH_CALLBACK_PATHS",
        ["/accounts/google/login/callback/", "/accounts/github/login/callback/"],
        ["/cb/"],
    ),
    (
        accounts,
        "ACCOUNTS_SECRETS_ENCRYPTION_KEY",
        "SECRETS_ENCRYPTION_KEY",
        "",
        "k" * 40,
    ),
    (
        accounts,
        "ACCOUNTS_KEYS_WORKSPACE_FALLBACK",
        "KEYS_WORKSPACE_FALLBACK",
        False,
        True,
    ),
    (orgs, "ORGS_INVITATION_RESEND_RATE", "INVITATION_RESEND_RATE", "3/h", "1/d"),
    (orgs, "ORGS_AUTO_CREATE_DEFAULT_ORG", "AUTO_CREATE_DEFAULT_ORG", True, False),
    (orgs, "ORGS_INVITATION_TTL_DAYS", "INVITATION_TTL_DAYS", 7, 2),
    (
        actions,
        "ACTIONS_DEFAULT_THROTTLE_RATE",
        "DEFAULT_THROTTLE_RATE",
        "120/min",
        "5/s",
    ),
    (
        actions,
        "ACTIONS_MCP_ALLOWED_ORIGINS",
        "MCP_ALLOWED_ORIGINS",
        [],
        ["https://host.example"],
    ),
    (scoping, "SCOPING_UNSCOPED_TABLES", "UNSCOPED_TABLES", (), ("shop_rates",)),
    (
        scoping,
        "SCOPING_FRAMEWORK_APPS",
        "FRAMEWORK_APPS",
        (
            "admin",
            "auth",
            "contenttypes",
            "sessions",
            "account",
            "socialaccount",
            "mfa",
            "usersessions",
            "allauth_idp_oidc",
        ),
        ("django_celery_beat",),
    ),
    (
        scoping,
        "SCOPING_FRAMEWORK_TABLES",
        "FRAMEWORK_TABLES",
        ("django_migrations",),
        (),
    ),
    (scoping, "SCOPING_AGENT_SQL_MAX_ROWS", "AGENT_SQL_MAX_ROWS", 500, 10),
    (webhooks, "WEBHOOKS_PROVIDERS", "PROVIDERS", EVERY_PROVIDER, ["slack"]),
    (webhooks, "WEBHOOKS_ALLOW_UNVERIFIED", "ALLOW_UNVERIFIED", False, True),
    (webhooks, "WEBHOOKS_QUEUE", "QUEUE", None, "webhooks"),
    (webhooks, "WEBHOOKS_MAX_ATTEMPTS", "MAX_ATTEMPTS", 8, 3),
    (webhooks, "WEBHOOKS_RETRY_BASE_SECONDS", "RETRY_BASE_SECONDS", 10.0, 1.0),
    (webhooks, "WEBHOOKS_RETRY_MAX_SECONDS", "RETRY_MAX_SECONDS", 3600.0, 60.0),
    (webhooks, "WEBHOOKS_PROCESSING_LEASE_SECONDS", "PROCESSING_LEASE_SECONDS", 600, 5),
    (webhooks, "WEBHOOKS_SWEEP_AFTER_SECONDS", "SWEEP_AFTER_SECONDS", 60, 5),
    (webhooks, "WEBHOOKS_DISPATCHER", "DISPATCHER", True, False),
    (webhooks, "WEBHOOKS_DISPATCH_POLL_SECONDS", "DISPATCH_POLL_SECONDS", 0.5, 2.0),
    (webhooks, "WEBHOOKS_DISPATCH_RETRY_SECONDS", "DISPATCH_RETRY_SECONDS", 5, 1),
    (webhooks, "WEBHOOKS_RESEND_API_KEY", "RESEND_API_KEY", "", "re_x"),
    (
        webhooks,
        "WEBHOOKS_RESEND_API_URL",
        "RESEND_API_URL",
        "https://api.resend.com",
        "http://127.0.0.1:9/",
    ),
    (
        webhooks,
        "WEBHOOKS_PUBSUB_CERTS_URL",
        "PUBSUB_CERTS_URL",
        "https://www.googleapis.com/oauth2/v3/certs",
        "http://127.0.0.1:9/certs",
    ),
    (a2a, "A2A_SECRET", "SECRET", "", "a" * 32),
    (a2a, "A2A_AGENT_NAME", "AGENT_NAME", "Django agent", "Shop agent"),
    (
        a2a,
        "A2A_AGENT_DESCRIPTION",
        "AGENT_DESCRIPTION",
        "Runs this app's actions for the person the calling agent acts for.",
        "Sells things.",
    ),
    (a2a, "A2A_AGENT_VERSION", "AGENT_VERSION", "1.0.0", "2.0.0"),
]


@pytest.mark.parametrize(
    ("app", "setting", "name", "default", "override"),
    CASES,
    ids=[case[1] for case in CASES],
)
def test_the_default_lives_in_the_app_and_the_setting_overrides_it(
    settings, app, setting, name, default, override
):
    if hasattr(settings, setting):
        delattr(settings, setting)
    assert getattr(app, name) == default
    setattr(settings, setting, override)
    assert getattr(app, name) == override


def test_a_webhook_providers_secret_is_its_webhooks_setting(settings):
    settings.WEBHOOKS_SLACK_SIGNING_SECRET = "slack-secret"
    if hasattr(settings, "WEBHOOKS_ZOOM_WEBHOOK_SECRET_TOKEN"):
        del settings.WEBHOOKS_ZOOM_WEBHOOK_SECRET_TOKEN
    assert webhooks.secret("SLACK_SIGNING_SECRET") == "slack-secret"
    assert webhooks.secret("ZOOM_WEBHOOK_SECRET_TOKEN") == ""


# --- the environment, read in config/settings only ------------------------------------

# (variable, its value, the Django setting it sets, the value it sets)
ENVIRONMENT = [
    ("AUTH_DISABLED", "true", "ACCOUNTS_AUTH_DISABLED", True),
    ("DISABLE_AUTO_DEV_ACCOUNT", "1", "ACCOUNTS_DISABLE_AUTO_DEV_ACCOUNT", True),
    ("ACCESS_TOKENS", "tok=a@b.test", "ACCOUNTS_ACCESS_TOKENS", {"tok": "a@b.test"}),
    ("OAUTH_STATE_SECRET", "o" * 40, "ACCOUNTS_OAUTH_STATE_SECRET", "o" * 40),
    (
        "OAUTH_CALLBACK_PATHS",
        "/a/,/b/",
        "ACCOUNTS_OAUTH_CALLBACK_PATHS",
        ["/a/", "/b/"],
    ),
    ("SECRETS_ENCRYPTION_KEY", "e" * 40, "ACCOUNTS_SECRETS_ENCRYPTION_KEY", "e" * 40),
    ("KEYS_WORKSPACE_FALLBACK", "1", "ACCOUNTS_KEYS_WORKSPACE_FALLBACK", True),
    (
        "AUTH_SKIP_EMAIL_VERIFICATION",
        "0",
        "ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION",
        False,
    ),
    ("AUTO_CREATE_DEFAULT_ORG", "0", "ORGS_AUTO_CREATE_DEFAULT_ORG", False),
    ("ORG_INVITATION_TTL_DAYS", "3", "ORGS_INVITATION_TTL_DAYS", 3),
    (
        "ACTIONS_DEFAULT_THROTTLE_RATE",
        "9/min",
        "ACTIONS_DEFAULT_THROTTLE_RATE",
        "9/min",
    ),
    (
        "MCP_ALLOWED_ORIGINS",
        "https://a.example,https://b.example",
        "ACTIONS_MCP_ALLOWED_ORIGINS",
        ["https://a.example", "https://b.example"],
    ),
    ("WEBHOOK_PROVIDERS", "slack,zoom", "WEBHOOKS_PROVIDERS", ["slack", "zoom"]),
    ("ALLOW_UNVERIFIED_WEBHOOKS", "1", "WEBHOOKS_ALLOW_UNVERIFIED", True),
    ("WEBHOOK_QUEUE", "hooks", "WEBHOOKS_QUEUE", "hooks"),
    ("WEBHOOK_MAX_ATTEMPTS", "3", "WEBHOOKS_MAX_ATTEMPTS", 3),
    ("WEBHOOK_RETRY_BASE_SECONDS", "1.5", "WEBHOOKS_RETRY_BASE_SECONDS", 1.5),
    ("WEBHOOK_RETRY_MAX_SECONDS", "30", "WEBHOOKS_RETRY_MAX_SECONDS", 30.0),
    ("WEBHOOK_PROCESSING_LEASE_SECONDS", "9", "WEBHOOKS_PROCESSING_LEASE_SECONDS", 9),
    ("WEBHOOK_SWEEP_AFTER_SECONDS", "8", "WEBHOOKS_SWEEP_AFTER_SECONDS", 8),
    ("WEBHOOK_DISPATCHER", "0", "WEBHOOKS_DISPATCHER", False),
    ("WEBHOOK_DISPATCH_POLL_SECONDS", "2.5", "WEBHOOKS_DISPATCH_POLL_SECONDS", 2.5),
    ("WEBHOOK_DISPATCH_RETRY_SECONDS", "7", "WEBHOOKS_DISPATCH_RETRY_SECONDS", 7),
    ("RESEND_API_KEY", "re_k", "WEBHOOKS_RESEND_API_KEY", "re_k"),
    ("RESEND_API_URL", "http://r.test", "WEBHOOKS_RESEND_API_URL", "http://r.test"),
    ("PUBSUB_CERTS_URL", "http://c.test", "WEBHOOKS_PUBSUB_CERTS_URL", "http://c.test"),
    ("SLACK_SIGNING_SECRET", "sl", "WEBHOOKS_SLACK_SIGNING_SECRET", "sl"),
    ("WHATSAPP_VERIFY_TOKEN", "wv", "WEBHOOKS_WHATSAPP_VERIFY_TOKEN", "wv"),
    ("A2A_SECRET", "s" * 32, "A2A_SECRET", "s" * 32),
    ("A2A_AGENT_NAME", "Shop", "A2A_AGENT_NAME", "Shop"),
    ("A2A_AGENT_DESCRIPTION", "Sells", "A2A_AGENT_DESCRIPTION", "Sells"),
    ("A2A_AGENT_VERSION", "3", "A2A_AGENT_VERSION", "3"),
]
_PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({{n: getattr(settings, n, '<unset>') for n in {names!r}}}))"
)


def _settings_under(settings_module: str, names: list[str], **env) -> dict:
    code = _PRINT_SETTINGS.format(names=names)
    result = run_python(code, clean_env(DJANGO_SETTINGS_MODULE=settings_module, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_each_variable_sets_its_apps_setting():
    # Local settings: DEBUG, which AUTH_DISABLED and ALLOW_UNVERIFIED_WEBHOOKS need.
    found = _settings_under(
        "config.settings.local",
        [setting for _, _, setting, _ in ENVIRONMENT],
        **{variable: value for variable, value, _, _ in ENVIRONMENT},
    )
    assert found == {setting: value for _, _, setting, value in ENVIRONMENT}


@pytest.mark.slow
def test_an_unset_variable_leaves_the_apps_default():
    # Only sign-up's verification is set by the settings themselves: allauth's
    # settings follow it.
    names = [setting for _, setting, _, _, _ in CASES]
    found = _settings_under("config.settings.test", names)
    assert {n: v for n, v in found.items() if v != "<unset>"} == {
        "ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION": True
    }
