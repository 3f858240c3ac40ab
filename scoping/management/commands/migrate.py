from django.core.management.commands.migrate import Command as DjangoMigrate

from scoping.scopes import unscoped


class Command(DjangoMigrate):
    """Django's migrate, run unscoped: data migrations see every row, and on SQLite
    the temp views that shadow tables are out of the way of schema changes."""

    def handle(self, *args, **options):
        with unscoped(reason="migrate", schema_changes=True, using=options["database"]):
            return super().handle(*args, **options)
