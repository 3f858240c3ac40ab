from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from scoping import roles
from scoping.scopes import unscoped


class Command(DjangoMigrate):
    """Django's migrate, run unscoped: data migrations see every row; on PostgreSQL
    as the role that owns the tables, on SQLite with the temp views that shadow
    tables out of the way of schema changes.

    With DATABASE_ADMIN_URL set (a release step, the test suite), the roles are
    laid out first (`db_setup_roles`).
    """

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor == "postgresql":
            if settings.DATABASE_ADMIN_URL:
                roles.setup_database(connection, admin_url=settings.DATABASE_ADMIN_URL)
            if not roles.can_become_owner(connection):
                raise CommandError(
                    f"The tables belong to the role {roles.unscoped_role(connection)}, "
                    "which this connection cannot become: run `manage.py "
                    "db_setup_roles --admin-url <a superuser's URL>` once, or set "
                    "DATABASE_ADMIN_URL for migrate."
                )
        with unscoped(reason="migrate", schema_changes=True, using=options["database"]):
            return super().handle(*args, **options)
