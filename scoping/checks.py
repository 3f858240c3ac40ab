"""Checks that the database really enforces scoping."""

from django.apps import apps
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
            hint="Use scoping.models.ScopedModel or OrgScopedModel, or declare the "
            "table shared: `scoping_unscoped_tables` on its app's AppConfig, or "
            "SCOPING_UNSCOPED_TABLES.",
            id="scoping.E002",
        )
        for table in problems
    ]


def unscoped_user_tables(connection, *, require_org: bool) -> list[str]:
    """User-facing tables without scope columns (without org_id if `require_org`)."""
    columns = registry.columns_by_table(connection)
    declared = registry.unscoped_tables()
    framework = registry.framework_tables()
    problems = []
    for table in registry.all_tables(connection):
        if registry.is_framework_table(table, framework) or table in declared:
            continue
        found = columns.get(table, {})
        if not found or (require_org and registry.ORG_COLUMN not in found):
            problems.append(table)
    return problems


@register()
def check_table_declarations(app_configs, **kwargs):
    """Each app's scoping declarations are collections of table names: a bare string
    (`("orgs_membership")` without its comma) would declare one table per letter,
    and the table it meant would be scoped, or flagged, by mistake."""
    errors = []
    for app_config in apps.get_app_configs():
        for attribute in (registry.UNSCOPED_ATTRIBUTE, registry.FRAMEWORK_ATTRIBUTE):
            declared = getattr(app_config, attribute, ())
            every = attribute == registry.FRAMEWORK_ATTRIBUTE
            if every and declared == registry.ALL_TABLES:
                continue
            if isinstance(declared, list | tuple | set | frozenset) and all(
                isinstance(name, str) for name in declared
            ):
                continue
            errors.append(
                Error(
                    f"{type(app_config).__name__}.{attribute} is not a list of "
                    f"table names: {declared!r}.",
                    hint="A tuple of table names"
                    + (', or "__all__" for every table of the app.' if every else "."),
                    obj=app_config,
                    id="scoping.E004",
                )
            )
    return errors
