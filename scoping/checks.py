"""Checks that the database really enforces scoping."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections

from scoping import registry, roles
from scoping.engines import postgresql


@register(Tags.security, deploy=True)
def check_role_does_not_skip_policies(app_configs, **kwargs):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    try:
        skips = postgresql.role_skips_policies(connection)
    except DatabaseError:
        return [
            Warning(
                "Could not ask the database whether its role skips row level security.",
                hint="Run check --deploy where the database is reachable.",
                id="scoping.W001",
            )
        ]
    if skips:
        return [
            Error(
                "The database role is a superuser or has BYPASSRLS, so row level "
                "security does not apply and every user sees every row.",
                hint="Connect as an ordinary role: CREATE ROLE app LOGIN "
                "NOSUPERUSER NOBYPASSRLS, then `manage.py db_setup_roles`.",
                id="scoping.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_role_layout(app_configs, **kwargs):
    """The tables' owner, the agent role and the policies are as scoping.roles lays
    them out, and nothing else."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    try:
        problems = roles.problems(connection)
    except DatabaseError:
        return [
            Warning(
                "Could not ask the database about its roles and policies.",
                hint="Run check --deploy where the database is reachable.",
                id="scoping.W002",
            )
        ]
    if not problems:
        return []
    return [
        Error(
            "The database's roles and policies are not laid out as scoping needs: "
            + "; ".join(problems)
            + ".",
            hint="Run `manage.py db_setup_roles --admin-url <a superuser's URL>` "
            "once per database (a deploy's release step), then `migrate`.",
            id="scoping.E003",
        )
    ]


@register(Tags.security, deploy=True)
def check_no_admin_url(app_configs, **kwargs):
    if not settings.DATABASE_ADMIN_URL:
        return []
    return [
        Warning(
            "DATABASE_ADMIN_URL is set: the app holds a superuser's credentials.",
            hint="Give it to the release step that runs `migrate` only, never to "
            "the running web or worker processes.",
            id="scoping.W003",
        )
    ]


@register(Tags.security, deploy=True)
def check_user_facing_tables_are_scoped(app_configs, **kwargs):
    try:
        problems = unscoped_user_tables(connections["default"], require_org=False)
    except DatabaseError:
        return []
    return [
        Error(
            f"Table {table} has neither owner_email nor org_id, so nothing keeps "
            "one user's rows from another.",
            hint="Use scoping.models.ScopedModel or OrgScopedModel, or add the table "
            "to SCOPING_UNSCOPED_TABLES if it is truly shared.",
            id="scoping.E002",
        )
        for table in problems
    ]


def unscoped_user_tables(connection, *, require_org: bool) -> list[str]:
    """User-facing tables without scope columns (without org_id if `require_org`)."""
    columns = registry.columns_by_table(connection)
    declared = registry.unscoped_tables()
    problems = []
    for table in registry.all_tables(connection):
        if table.startswith(registry.FRAMEWORK_TABLE_PREFIXES) or table in declared:
            continue
        found = columns.get(table, {})
        if not found or (require_org and registry.ORG_COLUMN not in found):
            problems.append(table)
    return problems
