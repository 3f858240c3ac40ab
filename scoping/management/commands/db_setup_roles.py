"""`manage.py db_setup_roles --admin-url postgres://postgres@host/`: the roles.

Run once per database by someone allowed to create roles (CI's setup, a deploy's
release step), never by the app itself; `migrate` runs it too when DATABASE_ADMIN_URL
is set. Idempotent.
"""

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from scoping import roles, signals
from scoping.scopes import unscoped


class Command(BaseCommand):
    help = (
        "Create the roles that own the tables and run agent SQL, and narrow what "
        "PUBLIC may do in the app's PostgreSQL database (catalogs, functions, temp "
        "tables). Needs a superuser's URL; its database part is ignored."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-url",
            required=True,
            help="A superuser's connection URL, e.g. postgres://postgres@host:5432/",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("The roles are for PostgreSQL; SQLite needs none.")
        try:
            roles.setup_database(connection, admin_url=options["admin_url"])
        except psycopg.Error as error:
            raise CommandError(f"Could not set up the roles: {error}") from None
        # Tables made before this layout get its policies and grants now.
        with unscoped(
            reason="db_setup_roles", schema_changes=True, using=options["database"]
        ):
            signals.install(connection)
        self.stdout.write(
            f"Roles set up for {roles.app_role(connection)} in "
            f"{connection.settings_dict['NAME']}."
        )
        problems = roles.problems(connection)
        if problems:
            raise CommandError("Still wrong: " + "; ".join(problems))
