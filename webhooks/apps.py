from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class WebhooksConfig(AppConfig):
    """Signed provider callbacks, stored first, processed in Celery."""

    name = "webhooks"
    verbose_name = "Webhooks"
    # For scoping.registry: stored provider events are machinery, not user data.
    scoping_framework_tables = "__all__"

    def ready(self):
        from django.conf import settings

        from webhooks import checks, inbound  # noqa: F401  (registration)
        from webhooks.app_settings import app_settings

        if app_settings.ALLOW_UNVERIFIED and not settings.DEBUG:
            raise ImproperlyConfigured(
                "ALLOW_UNVERIFIED_WEBHOOKS=1 is refused unless DEBUG is on: it accepts "
                "webhooks nobody signed. Unset it."
            )
