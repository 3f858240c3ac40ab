from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_a2a_secret(app_configs, **kwargs):
    if not settings.A2A_SECRET:
        return [
            Warning(
                "A2A_SECRET is not set: every A2A URL answers 503.",
                hint="Set A2A_SECRET (>= 32 bytes, shared with the calling apps) to "
                "take agent-to-agent calls.",
                id="a2a.W001",
            )
        ]
    return []
