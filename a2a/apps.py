from django.apps import AppConfig


class A2AConfig(AppConfig):
    """A2A calls with verified JWT identity and an agent card."""

    name = "a2a"
    verbose_name = "Agent to agent"
