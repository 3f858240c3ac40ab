from django.core.checks import Error, Tags, register

from a2a.app_settings import app_settings


@register(Tags.security, deploy=True)
def check_a2a_secret(app_configs, **kwargs):
    if len(app_settings.SECRET.encode()) < 32:
        return [
            Error(
                "A2A_SECRET is not set (or shorter than 32 bytes): every A2A URL "
                "answers 503.",
                hint="Set A2A_SECRET (>= 32 bytes, shared with the calling apps).",
                id="a2a.E001",
            )
        ]
    return []
