from django.apps import AppConfig


class ScopingConfig(AppConfig):
    """SQL-level isolation of each user's and org's rows."""

    name = "scoping"
    verbose_name = "Scoping"
