"""Which tables are scoped: any table with an `owner_email` and/or `org_id` column.

Found by asking the database, so tables made by raw SQL count too. Framework tables
whose `org_id` means something else (a membership's org, an audit record's org) are
declared here and never scoped; a team adds its own in SCOPING_UNSCOPED_TABLES.
"""

from dataclasses import dataclass

from django.conf import settings

OWNER_COLUMN = "owner_email"
ORG_COLUMN = "org_id"

# Tables with an org_id that records a relation, not ownership of the row.
FRAMEWORK_UNSCOPED_TABLES = frozenset(
    {
        "accounts_auditevent",
        "orgs_membership",
        "orgs_invitation",
        "orgs_activeorg",
    }
)

# Tables the template and its libraries own; not "user-facing" for db_check_scoping.
FRAMEWORK_TABLE_PREFIXES = (
    "django_",
    "auth_",
    "account_",
    "socialaccount_",
    "mfa_",
    "usersessions_",
    "accounts_",
    "orgs_",
    "webhooks_",
    "sqlite_",
)


@dataclass(frozen=True)
class ScopedTable:
    name: str
    has_owner: bool
    has_org: bool
    # The org_id column's type on PostgreSQL ("uuid", "text", …); "" on SQLite.
    org_type: str = ""


def unscoped_tables() -> frozenset[str]:
    return FRAMEWORK_UNSCOPED_TABLES | frozenset(
        getattr(settings, "SCOPING_UNSCOPED_TABLES", ())
    )


def scoped_tables(connection) -> list[ScopedTable]:
    """The scoped tables in the connection's database, by name."""
    columns = _scope_columns(connection)
    excluded = unscoped_tables()
    tables = []
    for name in sorted(columns):
        if name in excluded:
            continue
        found = columns[name]
        tables.append(
            ScopedTable(
                name=name,
                has_owner=OWNER_COLUMN in found,
                has_org=ORG_COLUMN in found,
                org_type=found.get(ORG_COLUMN, ""),
            )
        )
    return tables


def all_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def columns_by_table(connection) -> dict[str, dict[str, str]]:
    """{table: {scope column: type}} for every table with a scope column."""
    return _scope_columns(connection)


def _scope_columns(connection) -> dict[str, dict[str, str]]:
    if connection.vendor == "postgresql":
        sql = """
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema()
              AND t.table_type = 'BASE TABLE'
              AND c.column_name IN (%s, %s)
        """
    elif connection.vendor == "sqlite":
        sql = """
            SELECT m.name, p.name, ''
            FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%%'
              AND p.name IN (%s, %s)
        """
    else:  # pragma: no cover - only the two engines are supported
        raise NotImplementedError(f"Scoping does not support {connection.vendor}.")
    found: dict[str, dict[str, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [OWNER_COLUMN, ORG_COLUMN])
        for table, column, data_type in cursor.fetchall():
            found.setdefault(table, {})[column] = data_type
    return found
