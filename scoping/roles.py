"""PostgreSQL: the role agent SQL runs as, and what the database lets it do.

The app's role owns the tables and is never a superuser. Agent SQL switches to the
agent role for one statement (`SET LOCAL ROLE`, inside a savepoint), and the database
itself then decides what the statement may touch:
- SELECT and DELETE, and INSERT/UPDATE of every column but the key and the scope
  columns, on the agent tables (`registry.agent_tables`); kept in step after every
  migrate, which the app's role can do since it owns the tables;
- nothing on any other table, no catalog table or view, no TEMP tables (a temp table
  named like a scoped one would shadow it for the rest of the connection's life);
- EXECUTE only on the functions behind operators, casts and type conversions and a
  short allowlist, so it cannot call set_config() to change the scope it runs in.
Row level security applies to it like to the app.

Creating a role, making the app a member of it, and taking catalogs and functions
away from PUBLIC need a superuser, once per database: `manage.py db_setup_roles
--admin-url …` (run by CI before the tests and by a deploy's release step). Nothing
here gives the app's role CREATEROLE, which on PostgreSQL 15 could also hand out
membership in built-in roles such as pg_read_server_files. `check --deploy` verifies
the layout from the app's own connection (`problems`).
"""

import getpass
import logging

from scoping import registry
from scoping.app_settings import app_settings

logger = logging.getLogger(__name__)

# The PostgreSQL functions behind the parser's allowlist (checks.py), plus
# current_setting, which the scope's policies and column defaults call as the agent.
AGENT_FUNCTIONS = (
    "abs",
    "age",
    "array_agg",
    "avg",
    "btrim",
    "ceil",
    "ceiling",
    "char_length",
    "character_length",
    "concat",
    "count",
    "current_setting",
    "date_part",
    "date_trunc",
    "extract",
    "floor",
    "initcap",
    "left",
    "length",
    "lower",
    "ltrim",
    "max",
    "min",
    "now",
    "octet_length",
    "position",
    "replace",
    "right",
    "round",
    "rtrim",
    "string_agg",
    "strpos",
    "substr",
    "substring",
    "sum",
    "timezone",
    "to_char",
    "upper",
)
CATALOG_SCHEMAS = ("pg_catalog", "information_schema")


def app_role(connection) -> str:
    """The role the app connects as (libpq's default is the system user)."""
    return connection.settings_dict.get("USER") or getpass.getuser()


def agent_role(connection) -> str:
    """The role agent SQL runs as: SCOPING_AGENT_ROLE, else `<app role>_agent`."""
    return app_settings.AGENT_ROLE or f"{app_role(connection)}_agent"


# --- Once per database, as a superuser -----------------------------------------------


def setup(cursor, *, database: str, app: str, agent: str) -> None:
    """Create the agent role and narrow PUBLIC's rights in `database`; idempotent.

    `cursor` is a superuser's, connected to `database`.
    """
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [agent])
    if cursor.fetchone() is None:
        cursor.execute(f"CREATE ROLE {_ident(cursor, agent)}")
    cursor.execute(
        f"ALTER ROLE {_ident(cursor, agent)} NOLOGIN NOSUPERUSER NOCREATEDB "
        "NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"
    )
    cursor.execute(f"GRANT {_ident(cursor, agent)} TO {_ident(cursor, app)}")
    _narrow_public(cursor, database=database, app=app)
    _grant_agent_functions(cursor, agent=agent)


def _narrow_public(cursor, *, database: str, app: str) -> None:
    """What every role may do by default, given to the app's role by name instead."""
    app_name = _ident(cursor, app)
    cursor.execute(
        """
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace::regnamespace::text = ANY(%s)
          AND (p.proacl IS NULL OR EXISTS (
                SELECT 1 FROM aclexplode(p.proacl) a
                WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))
        """,
        [list(CATALOG_SCHEMAS)],
    )
    functions = ", ".join(row[0] for row in cursor.fetchall())
    if functions:
        cursor.execute(f"REVOKE EXECUTE ON FUNCTION {functions} FROM PUBLIC")
        cursor.execute(f"GRANT EXECUTE ON FUNCTION {functions} TO {app_name}")
    cursor.execute(
        """
        SELECT c.oid::regclass::text FROM pg_class c
        WHERE c.relnamespace::regnamespace::text = ANY(%s)
          AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
          AND EXISTS (
                SELECT 1
                FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
                WHERE a.grantee = 0 AND a.privilege_type = 'SELECT')
        """,
        [list(CATALOG_SCHEMAS)],
    )
    relations = ", ".join(row[0] for row in cursor.fetchall())
    if relations:
        cursor.execute(f"REVOKE SELECT ON {relations} FROM PUBLIC")
        cursor.execute(f"GRANT SELECT ON {relations} TO {app_name}")
    database_name = _ident(cursor, database)
    cursor.execute(f"REVOKE TEMPORARY ON DATABASE {database_name} FROM PUBLIC")
    cursor.execute(f"GRANT TEMPORARY ON DATABASE {database_name} TO {app_name}")
    # temp_file_limit is a superuser setting; agent SQL sets its own (15+).
    cursor.execute("SHOW server_version_num")
    if int(cursor.fetchone()[0]) >= 150000:
        cursor.execute(f"GRANT SET ON PARAMETER temp_file_limit TO {app_name}")


def _grant_agent_functions(cursor, *, agent: str) -> None:
    cursor.execute(
        """
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace = 'pg_catalog'::regnamespace
          AND (p.oid IN (SELECT oprcode FROM pg_operator)
               OR p.oid IN (SELECT castfunc FROM pg_cast)
               OR p.oid IN (SELECT typinput FROM pg_type UNION SELECT typoutput
                            FROM pg_type)
               OR p.proname = ANY(%s))
        """,
        [list(AGENT_FUNCTIONS)],
    )
    functions = ", ".join(row[0] for row in cursor.fetchall())
    cursor.execute(f"GRANT EXECUTE ON FUNCTION {functions} TO {_ident(cursor, agent)}")


# --- After every migrate, as the app (the tables' owner) -----------------------------


def grant_agent_tables(connection) -> list[str] | None:
    """Give the agent role exactly the agent tables; None if the role is missing."""
    agent = agent_role(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [agent])
        if cursor.fetchone() is None:
            logger.warning(
                "scoping: role %s is missing, so agent SQL is off; run "
                "`manage.py db_setup_roles --admin-url …`",
                agent,
            )
            return None
        name = connection.ops.quote_name(agent)
        # Whatever it had before (a table that stopped being scoped, say) goes.
        for table in _own_relations(cursor):
            cursor.execute(
                f"REVOKE ALL ON {connection.ops.quote_name(table)} FROM {name}"
            )
        tables = registry.agent_tables(connection)
        for table, key in tables.items():
            writable = [
                connection.ops.quote_name(column)
                for column in _columns(cursor, table)
                if column not in (key, registry.OWNER_COLUMN, registry.ORG_COLUMN)
            ]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"GRANT SELECT, DELETE ON {quoted} TO {name}")
            if writable:
                columns = ", ".join(writable)
                privileges = f"INSERT ({columns}), UPDATE ({columns})"
                cursor.execute(f"GRANT {privileges} ON {quoted} TO {name}")
    return sorted(tables)


def _own_relations(cursor) -> list[str]:
    """The tables and views of the app's schema that the app's role owns."""
    cursor.execute(
        """
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND pg_has_role(current_user, c.relowner, 'USAGE')
        """
    )
    return [row[0] for row in cursor.fetchall()]


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        """
        SELECT attname FROM pg_attribute
        WHERE attrelid = format('%%I.%%I', current_schema(), %s)::regclass
          AND attnum > 0 AND NOT attisdropped
        ORDER BY attnum
        """,
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


# --- What check --deploy verifies -----------------------------------------------------


def problems(connection) -> list[str]:
    """What is wrong with the agent role's layout, as seen by the app; [] if nothing."""
    agent = agent_role(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb,
                   pg_has_role(current_user, r.oid, 'MEMBER'),
                   EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)
            FROM pg_roles r WHERE r.rolname = %s
            """,
            [agent],
        )
        found = cursor.fetchone()
        if found is None:
            return [f"the agent role {agent} does not exist"]
        powerful, reachable, inherits = found
        issues = []
        if powerful:
            issues.append(f"{agent} is a superuser or may bypass RLS or create roles")
        if not reachable:
            issues.append(f"the app's role is not a member of {agent}")
        if inherits:
            issues.append(f"{agent} is a member of another role")
        cursor.execute(
            """
            SELECT
              has_function_privilege(%(r)s, 'pg_catalog.set_config(text,text,boolean)',
                                     'EXECUTE'),
              has_function_privilege(%(r)s, 'pg_catalog.current_setting(text,boolean)',
                                     'EXECUTE'),
              has_table_privilege(%(r)s, 'pg_catalog.pg_class', 'SELECT'),
              has_table_privilege(%(r)s, 'information_schema.tables', 'SELECT'),
              has_database_privilege(%(r)s, current_database(), 'TEMPORARY'),
              current_setting('server_version_num')::int < 150000
                OR has_parameter_privilege(current_user, 'temp_file_limit', 'SET')
            """,
            {"r": agent},
        )
        sets_scope, reads_settings, catalog, info_schema, temp, limits = (
            cursor.fetchone()
        )
        if sets_scope:
            issues.append(f"{agent} may call set_config() and change its own scope")
        if not reads_settings:
            issues.append(
                f"{agent} may not call current_setting(), which the policies use"
            )
        if catalog or info_schema:
            issues.append(f"{agent} may read the catalogs")
        if temp:
            issues.append(f"{agent} may create temporary tables")
        if not limits:
            issues.append("the app's role may not set temp_file_limit for agent SQL")
        issues += _table_problems(cursor, connection, agent)
    return issues


def _table_problems(cursor, connection, agent: str) -> list[str]:
    allowed = registry.agent_tables(connection)
    cursor.execute(
        """
        SELECT c.relname,
               has_table_privilege(%(r)s, c.oid, 'SELECT'),
               has_table_privilege(
                 %(r)s, c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER'
               ) OR has_any_column_privilege(
                 %(r)s, c.oid, 'SELECT,INSERT,UPDATE,REFERENCES'
               )
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        """,
        {"r": agent},
    )
    issues = []
    for table, reads, anything in cursor.fetchall():
        if table in allowed and not reads:
            issues.append(f"{agent} may not read the agent table {table}")
        if table not in allowed and anything:
            issues.append(f"{agent} has privileges on {table}, not an agent table")
    for table in allowed:
        for column in (registry.OWNER_COLUMN, registry.ORG_COLUMN):
            cursor.execute(
                """
                SELECT has_column_privilege(%s, a.attrelid, a.attnum, 'INSERT,UPDATE')
                FROM pg_attribute a
                WHERE a.attrelid = format('%%I.%%I', current_schema(), %s)::regclass
                  AND a.attname = %s AND NOT a.attisdropped
                """,
                [agent, table, column],
            )
            row = cursor.fetchone()
            if row is not None and row[0]:
                issues.append(f"{agent} may write {table}.{column}")
    return issues


def _ident(cursor, name: str) -> str:
    cursor.execute("SELECT quote_ident(%s)", [name])
    return cursor.fetchone()[0]
