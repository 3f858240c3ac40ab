from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed provider callbacks, stored first, processed in Celery."""

    name = "webhooks"
    verbose_name = "Webhooks"
