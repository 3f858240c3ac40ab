from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The registry of validated, authorized, audited operations."""

    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        from actions.registry import autodiscover

        autodiscover()
