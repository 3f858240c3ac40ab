"""`manage.py db_setup_roles --admin-url postgres://postgres@host/`: the agent role.

Run once per database by someone allowed to create roles (CI's setup, a deploy's
release step), never by the app itself. Idempotent.
"""

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from scoping import roles


class Command(BaseCommand):
    help = (
        "Create the role agent SQL runs as and narrow what PUBLIC may do in the "
        "app's PostgreSQL database (catalogs, functions, temp tables). Needs a "
        "superuser's URL; its database defaults to the app's."
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
            raise CommandError("The agent role is for PostgreSQL; SQLite needs none.")
        database = connection.settings_dict["NAME"]
        app = roles.app_role(connection)
        agent = roles.agent_role(connection)
        try:
            with psycopg.connect(
                options["admin_url"], dbname=database, autocommit=False
            ) as admin:
                with admin.cursor() as cursor:
                    roles.setup(cursor, database=database, app=app, agent=agent)
                admin.commit()
        except psycopg.Error as error:
            raise CommandError(f"Could not set up the roles: {error}") from None
        granted = roles.grant_agent_tables(connection)
        self.stdout.write(
            f"{agent}: set up for {app} in {database}; agent tables: "
            f"{', '.join(granted or []) or 'none yet (run migrate)'}."
        )
        problems = roles.problems(connection)
        if problems:
            raise CommandError("Still wrong: " + "; ".join(problems))
