"""System checks for the OAuth server's settings."""

from allauth.core.internal import jwkkit
from allauth.idp.oidc import app_settings as oidc_settings
from django.conf import settings
from django.core.checks import Error, Tags, register

from accounts.app_settings import app_settings


@register(Tags.security, deploy=True)
def check_signing_key(app_configs, **kwargs):
    hint = (
        "Set IDP_OIDC_PRIVATE_KEY to an RSA private key, PEM: `openssl genpkey "
        "-algorithm RSA -pkeyopt rsa_keygen_bits:2048`."
    )
    keys = oidc_settings.PRIVATE_KEYS
    if not keys:
        return [
            Error(
                "The OAuth server (/mcp sign-in) has no signing key.",
                hint=hint,
                id="accounts.E020",
            )
        ]
    for key in keys:
        try:
            jwkkit.load_jwk_from_pem(key.pem)
        except Exception:
            return [
                Error(
                    "IDP_OIDC_PRIVATE_KEY is not a readable private key (PEM).",
                    hint=hint,
                    id="accounts.E021",
                )
            ]
    return []


@register(Tags.security, deploy=True)
def check_cimd_allowed_hosts(app_configs, **kwargs):
    if app_settings.OAUTH_CIMD_ALLOWED_HOSTS and not settings.DEBUG:
        return [
            Error(
                "ACCOUNTS_OAUTH_CIMD_ALLOWED_HOSTS lets the OAuth server fetch client "
                "documents from internal addresses.",
                hint="It is for tests and local development; unset it.",
                id="accounts.E022",
            )
        ]
    return []
