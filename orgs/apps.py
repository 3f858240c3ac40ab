from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Which organization a request acts in: roles, invitations."""

    name = "orgs"
    verbose_name = "Organizations"
