"""System checks for sign-in settings."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from accounts.app_settings import app_settings

MIN_ACCESS_TOKEN_LENGTH = 32


@register(Tags.security)
def check_access_tokens(app_configs, **kwargs):
    short = [
        email
        for token, email in app_settings.ACCESS_TOKENS.items()
        if len(token) < MIN_ACCESS_TOKEN_LENGTH
    ]
    if short:
        return [
            Error(
                f"ACCESS_TOKENS has tokens shorter than {MIN_ACCESS_TOKEN_LENGTH} "
                f"characters (bound to {', '.join(short)}).",
                hint="Generate each with `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`.",
                id="accounts.E010",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_email_verification(app_configs, **kwargs):
    if app_settings.AUTH_SKIP_EMAIL_VERIFICATION or (
        settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory"
    ):
        return [
            Error(
                "Email verification is skipped (AUTH_SKIP_EMAIL_VERIFICATION).",
                hint="Unset AUTH_SKIP_EMAIL_VERIFICATION: unverified addresses let "
                "anyone claim someone else's email, invitations and org domain.",
                id="accounts.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_auth_disabled(app_configs, **kwargs):
    if app_settings.AUTH_DISABLED:
        return [
            Error(
                "AUTH_DISABLED is on: every request runs as dev@local.test.",
                hint="Unset AUTH_DISABLED; it is for local development only.",
                id="accounts.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs):
    behind_proxy = bool(settings.SECURE_PROXY_SSL_HEADER)
    configured = (
        settings.ALLAUTH_TRUSTED_PROXY_COUNT > 0
        or settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    )
    if behind_proxy and not configured:
        return [
            Error(
                "SECURE_PROXY_SSL_HEADER is set, but no trusted proxy is configured, "
                "so every client shares the proxy's IP for rate limits and audit.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of "
                "the app, or TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP).",
                id="accounts.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_rate_limits(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.ACCOUNT_RATE_LIMITS is False or backend.endswith("DummyCache"):
        return [
            Error(
                "Sign-in rate limits are off (ACCOUNT_RATE_LIMITS=False or a dummy "
                "cache).",
                hint="Keep ACCOUNT_RATE_LIMITS and set REDIS_URL for a shared cache.",
                id="accounts.E004",
            )
        ]
    if backend.endswith("LocMemCache"):
        return [
            Warning(
                "Rate limits are counted per process (local-memory cache).",
                hint="Set REDIS_URL so every web process shares one count.",
                id="accounts.W004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_oauth_state_secret(app_configs, **kwargs):
    secret = app_settings.OAUTH_STATE_SECRET
    if not secret or secret == settings.SECRET_KEY or len(secret) < 32:
        return [
            Error(
                "OAUTH_STATE_SECRET is unset, short, or the same as SECRET_KEY.",
                hint="Give OAuth state its own key (>= 32 characters): a leak of one "
                "key then does not forge the other's signatures.",
                id="accounts.E005",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_secrets_encryption_key(app_configs, **kwargs):
    if not app_settings.SECRETS_ENCRYPTION_KEY:
        return [
            Error(
                "SECRETS_ENCRYPTION_KEY is not set: stored secrets are encrypted "
                "with a key derived from SECRET_KEY.",
                hint="Set SECRETS_ENCRYPTION_KEY (comma-separated, newest first).",
                id="accounts.E006",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_keys_workspace_fallback(app_configs, **kwargs):
    if app_settings.KEYS_WORKSPACE_FALLBACK:
        return [
            Warning(
                "KEYS_WORKSPACE_FALLBACK is on: a member without their own key uses "
                "the organization's.",
                hint="Turn it off unless every member may spend the org's keys.",
                id="accounts.W007",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_identity_hub_url(app_configs, **kwargs):
    url = getattr(settings, "IDENTITY_HUB_URL", "")
    if url and not url.startswith("https://"):
        return [
            Error(
                f"IDENTITY_HUB_URL is not https ({url}): the client secret and the "
                "sign-in codes would cross the network in the clear.",
                hint="Serve the identity hub over https and give its https URL.",
                id="accounts.E011",
            )
        ]
    return []
