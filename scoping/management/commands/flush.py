from django.core.management.commands.flush import Command as DjangoFlush

from scoping.scopes import unscoped


class Command(DjangoFlush):
    """Django's flush, run unscoped so it empties every row of every table."""

    def handle(self, **options):
        with unscoped(reason="flush", schema_changes=True, using=options["database"]):
            return super().handle(**options)
