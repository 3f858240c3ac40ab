from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ScopingConfig(AppConfig):
    """SQL-level isolation of each user's and org's rows."""

    name = "scoping"
    verbose_name = "Scoping"

    def ready(self):
        from accounts import hooks
        from scoping import (
            account_hooks,
            checks,  # noqa: F401  (registers the checks)
        )
        from scoping.scopes import on_connection_created
        from scoping.signals import after_migrate

        connection_created.connect(on_connection_created, dispatch_uid="scoping")
        post_migrate.connect(after_migrate, dispatch_uid="scoping")
        hooks.register_exporter("owned_rows", account_hooks.export_owned_rows)
        hooks.register_deletion_hook(account_hooks.delete_owned_rows)
