"""Checks for webhook settings."""

from django.core.checks import Error, Tags, register

from webhooks.app_settings import app_settings
from webhooks.verifiers import VERIFIERS


@register(Tags.security, deploy=True)
def check_providers_configured(app_configs, **kwargs):
    return [
        Error(
            f"Webhook provider {name} is enabled but not configured "
            f"({', '.join(VERIFIERS[name].secret_settings)}); it answers 401 to all.",
            hint=f"Set {' and '.join(VERIFIERS[name].secret_settings)}, or remove "
            f"{name} from WEBHOOK_PROVIDERS.",
            id="webhooks.E001",
        )
        for name in app_settings.PROVIDERS
        if name in VERIFIERS and not VERIFIERS[name].is_configured()
    ]


@register(Tags.security)
def check_provider_names(app_configs, **kwargs):
    unknown = sorted(set(app_settings.PROVIDERS) - set(VERIFIERS))
    if unknown:
        return [
            Error(
                f"WEBHOOK_PROVIDERS names unknown providers: {', '.join(unknown)}.",
                hint=f"Choose from {', '.join(sorted(VERIFIERS))}.",
                id="webhooks.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_unverified_off(app_configs, **kwargs):
    if app_settings.ALLOW_UNVERIFIED:
        return [
            Error(
                "ALLOW_UNVERIFIED_WEBHOOKS is on: unsigned webhooks are accepted.",
                hint="Unset it; it is for local development only.",
                id="webhooks.E003",
            )
        ]
    return []
