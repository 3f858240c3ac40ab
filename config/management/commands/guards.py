from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.guards import scan
from scoping import registry


def scoped_table_names() -> set[str]:
    """The tables of models with a scope column (from the models, not a database)."""
    from django.apps import apps

    names = set()
    for model in apps.get_models():
        columns = {field.column for field in model._meta.concrete_fields}
        if columns & {registry.OWNER_COLUMN, registry.ORG_COLUMN}:
            names.add(model._meta.db_table)
    return names - registry.unscoped_tables()


class Command(BaseCommand):
    help = (
        "Scan the project's Python (not tests/) for raw SQL on scoped tables, "
        "environment reads and writes, stand-in identities and secrets resolved "
        "without user and org. Exit 1 on any; excuse a line with "
        "`# guard: allow-<rule> — <reason>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(settings.BASE_DIR))

    def handle(self, *args, **options):
        violations = scan(Path(options["root"]), scoped_tables=scoped_table_names())
        for violation in violations:
            self.stdout.write(str(violation))
        if violations:
            raise CommandError(f"{len(violations)} guard violation(s).", returncode=1)
        self.stdout.write("Guards: no violations.")
