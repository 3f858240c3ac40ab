from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class A2AConfig(AppConfig):
    """A2A calls with verified JWT identity and an agent card."""

    name = "a2a"
    verbose_name = "Agent-to-agent"

    def ready(self):
        from a2a import checks  # noqa: F401  (registers the checks)
        from a2a.app_settings import app_settings
        from a2a.tokens import MIN_SECRET_BYTES

        secret = app_settings.SECRET
        if secret and len(secret.encode()) < MIN_SECRET_BYTES:
            raise ImproperlyConfigured(
                f"A2A_SECRET must be at least {MIN_SECRET_BYTES} bytes; generate one "
                "with `python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
            )
