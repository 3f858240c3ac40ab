"""Which tables are scoped: any table with an `owner_email` and/or `org_id` column.

Found by asking the database, so tables made by raw SQL count too. Framework tables
whose `org_id` means something else (a membership's org, an audit record's org) are
declared here and never scoped; a team adds its own in SCOPING_UNSCOPED_TABLES.
"""

from dataclasses import dataclass

from scoping.app_settings import app_settings

OWNER_COLUMN = "owner_email"
ORG_COLUMN = "org_id"

# Tables with an org_id that records a relation, not ownership of the row.
FRAMEWORK_UNSCOPED_TABLES = frozenset(
    {
        "accounts_auditevent",
        "orgs_membership",
        "orgs_invitation",
        "orgs_activeorg",
        "orgs_domainclaim",
        "orgs_memberremoval",
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
# The database's own catalogs.
SYSTEM_TABLE_PREFIXES = ("pg_", "sqlite_", "information_schema")
# Never reachable from agent SQL, even if a team scopes such a table one day.
AGENT_DENIED_TABLE_WORDS = ("secret", "token", "password")


@dataclass(frozen=True)
class ScopedTable:
    name: str
    has_owner: bool
    has_org: bool
    # The org_id column's type on PostgreSQL ("uuid", "text", …); "" on SQLite.
    org_type: str = ""


def unscoped_tables() -> frozenset[str]:
    return FRAMEWORK_UNSCOPED_TABLES | frozenset(app_settings.UNSCOPED_TABLES)


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


def agent_tables(connection) -> dict[str, str | None]:
    """The tables agent SQL may use, each with its primary key column (None if it
    has no single-column key): the scoped tables that are not the framework's and
    whose names do not suggest secrets."""
    names = [
        table.name
        for table in scoped_tables(connection)
        if not table.name.startswith(FRAMEWORK_TABLE_PREFIXES)
        and not any(word in table.name for word in AGENT_DENIED_TABLE_WORDS)
    ]
    keys = primary_keys(connection, names)
    return {name: keys.get(name) for name in names}


def primary_keys(connection, tables: list[str]) -> dict[str, str]:
    """{table: its primary key column} for the tables with a one-column key."""
    if not tables:
        return {}
    if connection.vendor == "postgresql":
        sql = """
            SELECT c.relname, min(a.attname)
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace
              AND c.relname = ANY(%s)
            GROUP BY c.relname HAVING count(*) = 1
        """
        params = [list(tables)]
    else:
        marks = ", ".join(["%s"] * len(tables))
        sql = f"""
            SELECT m.name, min(p.name)
            FROM sqlite_master AS m JOIN pragma_table_info(m.name, 'main') AS p
            WHERE m.type = 'table' AND p.pk > 0 AND m.name IN ({marks})
            GROUP BY m.name HAVING count(*) = 1
        """  # noqa: S608 - only placeholders are interpolated
        params = list(tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def all_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def columns_by_table(connection) -> dict[str, dict[str, str]]:
    """{table: {scope column: type}} for every table with a scope column."""
    return _scope_columns(connection)


def _scope_columns(connection) -> dict[str, dict[str, str]]:
    if connection.vendor == "postgresql":
        # The catalog itself: information_schema shows only the tables the current
        # role may use, and the app may not use a table the owner just made.
        sql = """
            SELECT c.relname, a.attname, format_type(a.atttypid, NULL)
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = current_schema()::regnamespace
              AND c.relkind IN ('r', 'p')
              AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attname IN (%s, %s)
        """
    elif connection.vendor == "sqlite":
        sql = """
            SELECT m.name, p.name, ''
            FROM sqlite_master AS m JOIN pragma_table_info(m.name, 'main') AS p
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


@dataclass(frozen=True, order=True)
class OrgReference:
    """A foreign key; between org-scoped tables it must stay inside the org."""

    table: str
    column: str
    target: str
    target_column: str


def org_references(connection) -> list[OrgReference]:
    """The foreign keys between org-scoped tables (other than to the org itself)."""
    with_org = {t.name for t in scoped_tables(connection) if t.has_org}
    return [
        reference
        for reference in foreign_keys(connection)
        if reference.table in with_org
        and reference.target in with_org
        and reference.column != ORG_COLUMN
    ]


def foreign_keys(connection) -> list[OrgReference]:
    """Every one-column foreign key of the app's tables, as (table, column) ->
    (target, target column)."""
    if connection.vendor == "postgresql":
        sql = """
            SELECT t.relname, a.attname, r.relname, ra.attname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class r ON r.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute ra
              ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
              AND t.relnamespace = current_schema()::regnamespace
        """
    else:
        # Named with their schema: inside a scope a temp view shadows each table.
        sql = """
            SELECT m.name, f."from", f."table", f."to"
            FROM sqlite_master AS m
            JOIN pragma_foreign_key_list(m.name, 'main') AS f
            WHERE m.type = 'table'
            GROUP BY f.id, m.name HAVING count(*) = 1
        """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(OrgReference(*row) for row in cursor.fetchall())
