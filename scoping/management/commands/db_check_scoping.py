import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from scoping.checks import unscoped_user_tables


class Command(BaseCommand):
    help = (
        "List user-facing tables that no scope column protects: neither owner_email "
        "nor org_id (with --require-org: no org_id). Framework tables are skipped. "
        "Exits 1 when there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--require-org", action="store_true")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        problems = unscoped_user_tables(
            connections[options["database"]], require_org=options["require_org"]
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps({"unscoped_tables": problems}))
        elif problems:
            for table in problems:
                self.stdout.write(f"{table}: not scoped")
        else:
            self.stdout.write("Every user-facing table is scoped.")
        if problems:
            raise CommandError(f"{len(problems)} table(s) not scoped.", returncode=1)
