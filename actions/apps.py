from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The registry of validated, authorized, audited operations."""

    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        from corsheaders.signals import check_request_enabled

        from actions.mcp.views import cors_allowed
        from actions.registry import autodiscover

        autodiscover()
        check_request_enabled.connect(cors_allowed, dispatch_uid="mcp-cors")
