"""PostgreSQL: the roles around the app's own, and what the database lets each do.

Three roles, so that each policy names plain column comparisons (which the planner
answers from the indexes) and no role ever needs an "or unscoped" branch:
- the app's role (the one it logs in as) reads and writes every table, but on a
  scoped table only the rows its scope's settings name (policy `scoping_isolation`);
- `<app>_unscoped` owns the tables and sees every row (policy `scoping_unscoped`).
  `unscoped()` switches to it with `SET LOCAL ROLE`, `migrate` and `flush` for their
  whole run; it is how schema changes and system work happen;
- `<app>_agent`, which agent SQL runs as for one statement: SELECT and DELETE, and
  INSERT/UPDATE of every column but the key and the scope columns, on the agent
  tables (`registry.agent_tables`) under the same policy as the app; nothing on any
  other table, no catalog table or view, no TEMP tables (a temp table named like a
  scoped one would shadow it for the connection's life), and EXECUTE only on the
  functions behind operators, casts and type conversions and a short allowlist, so
  it cannot call set_config() to change the scope it runs in.
The app is a member of both without inheriting either: it may SET ROLE to them, but
their privileges (and the unscoped policy) are not its own.

Creating roles, granting membership and taking catalogs and functions away from
PUBLIC need a superuser, once per database: `manage.py db_setup_roles --admin-url …`,
or `migrate` with DATABASE_ADMIN_URL set (a deploy's release step; the test suite).
Nothing here gives the app's role CREATEROLE, which on PostgreSQL 15 could also hand
out membership in built-in roles such as pg_read_server_files. Every migrate keeps the
table grants in step (`grant_tables`, run as the owner); `check --deploy` verifies the
layout from the app's own connection (`problems`).
"""

import getpass
import logging

from scoping import registry
from scoping.app_settings import app_settings

logger = logging.getLogger(__name__)

ISOLATION_POLICY = "scoping_isolation"
UNSCOPED_POLICY = "scoping_unscoped"
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
ROLE_ATTRIBUTES = (
    "NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"
)


def app_role(connection) -> str:
    """The role the app connects as (libpq's default is the system user)."""
    return connection.settings_dict.get("USER") or getpass.getuser()


def agent_role(connection) -> str:
    """The role agent SQL runs as: SCOPING_AGENT_ROLE, else `<app role>_agent`."""
    return app_settings.AGENT_ROLE or f"{app_role(connection)}_agent"


def unscoped_role(connection) -> str:
    """The role that owns the tables and sees every row: SCOPING_UNSCOPED_ROLE, else
    `<app role>_unscoped`."""
    return app_settings.UNSCOPED_ROLE or f"{app_role(connection)}_unscoped"


# --- Once per database, as a superuser -----------------------------------------------


def setup(cursor, *, database: str, app: str, agent: str, unscoped: str) -> None:
    """Lay the roles out in `database`; idempotent. `cursor` is a superuser's,
    connected to `database`."""
    cursor.execute("SHOW server_version_num")
    version = int(cursor.fetchone()[0])
    for role in (agent, unscoped):
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {_ident(cursor, role)}")
        cursor.execute(f"ALTER ROLE {_ident(cursor, role)} {ROLE_ATTRIBUTES}")
        _grant_without_inheriting(cursor, role=role, member=app, version=version)
    cursor.execute("SELECT current_schema()")
    schema = _ident(cursor, cursor.fetchone()[0])
    owner = _ident(cursor, unscoped)
    cursor.execute(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {owner}")
    _hand_over_tables(cursor, app=app, unscoped=unscoped)
    _narrow_public(cursor, database=database, trusted=(app, unscoped))
    if version >= 150000:  # temp_file_limit is a superuser setting before 15
        cursor.execute(
            f"GRANT SET ON PARAMETER temp_file_limit TO {_ident(cursor, app)}"
        )
    _grant_agent_functions(cursor, agent=agent)


def setup_database(connection, *, admin_url: str) -> None:
    """`setup` for the database `connection` uses, as the superuser `admin_url`
    names (its database part is ignored)."""
    import psycopg

    database = connection.settings_dict["NAME"]
    with psycopg.connect(admin_url, dbname=database) as admin, admin.cursor() as cur:
        setup(
            cur,
            database=database,
            app=app_role(connection),
            agent=agent_role(connection),
            unscoped=unscoped_role(connection),
        )


def _grant_without_inheriting(cursor, *, role: str, member: str, version: int):
    """`member` may SET ROLE to `role` but does not hold its privileges (nor fall
    under the policies written for it)."""
    granted, grantee = _ident(cursor, role), _ident(cursor, member)
    if version >= 160000:
        cursor.execute(f"GRANT {granted} TO {grantee} WITH INHERIT FALSE, SET TRUE")
    else:  # before 16, inheriting is a property of the member, for all its roles
        cursor.execute(f"ALTER ROLE {grantee} NOINHERIT")
        cursor.execute(f"GRANT {granted} TO {grantee}")


def _hand_over_tables(cursor, *, app: str, unscoped: str) -> None:
    """Tables made before this layout (owned by the app) go to the unscoped role."""
    cursor.execute(
        """
        SELECT c.oid::regclass::text,
               CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)
          AND NOT EXISTS (  -- a column's own sequence follows its table
                SELECT 1 FROM pg_depend d
                WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')
                  AND d.classid = 'pg_class'::regclass)
        """,
        [app],
    )
    owner = _ident(cursor, unscoped)
    for relation, kind in cursor.fetchall():
        cursor.execute(f"ALTER {kind} {relation} OWNER TO {owner}")


def _narrow_public(cursor, *, database: str, trusted: tuple[str, ...]) -> None:
    """What every role may do by default, given to the trusted roles by name."""
    names = ", ".join(_ident(cursor, role) for role in trusted)
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
        cursor.execute(f"GRANT EXECUTE ON FUNCTION {functions} TO {names}")
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
        cursor.execute(f"GRANT SELECT ON {relations} TO {names}")
    database_name = _ident(cursor, database)
    cursor.execute(f"REVOKE TEMPORARY ON DATABASE {database_name} FROM PUBLIC")
    cursor.execute(f"GRANT TEMPORARY ON DATABASE {database_name} TO {names}")


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


# --- After every migrate, as the tables' owner ----------------------------------------


def grant_tables(connection) -> list[str] | None:
    """The app every table, the agent exactly the agent tables; run by the tables'
    owner (migrate runs as it). Returns the agent tables, or None without the roles."""
    app, agent = app_role(connection), agent_role(connection)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname IN (%s, %s)", [agent, app]
        )
        if cursor.fetchone()[0] != 2:
            logger.warning(
                "scoping: role %s is missing, so agent SQL is off; run "
                "`manage.py db_setup_roles --admin-url …`",
                agent,
            )
            return None
        relations = _own_relations(cursor)
        for table in relations:
            cursor.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON {quote(table)} "
                f"TO {quote(app)}"
            )
            # Whatever the agent had before (a table no longer scoped, say) goes.
            cursor.execute(f"REVOKE ALL ON {quote(table)} FROM {quote(agent)}")
        cursor.execute(
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "
            f"{quote(_current_schema(cursor))} TO {quote(app)}"
        )
        tables = registry.agent_tables(connection)
        for table, key in tables.items():
            writable = [
                quote(column)
                for column in _columns(cursor, table)
                if column not in (key, registry.OWNER_COLUMN, registry.ORG_COLUMN)
            ]
            cursor.execute(f"GRANT SELECT, DELETE ON {quote(table)} TO {quote(agent)}")
            if writable:
                columns = ", ".join(writable)
                privileges = f"INSERT ({columns}), UPDATE ({columns})"
                cursor.execute(
                    f"GRANT {privileges} ON {quote(table)} TO {quote(agent)}"
                )
    return sorted(tables)


def _current_schema(cursor) -> str:
    cursor.execute("SELECT current_schema()")
    return cursor.fetchone()[0]


def _own_relations(cursor) -> list[str]:
    """The tables and views of the app's schema that the current role owns."""
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


def can_become_owner(connection) -> bool:
    """Whether the app's connection may switch to the tables' owner."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles "
            "WHERE rolname = %s",
            [unscoped_role(connection)],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def problems(connection) -> list[str]:
    """What is wrong with the role layout, as seen by the app; [] if nothing."""
    issues = _role_problems(connection)
    if issues:
        return issues
    with connection.cursor() as cursor:
        issues += _agent_privilege_problems(cursor, agent_role(connection))
        issues += _table_problems(cursor, connection)
        issues += _policy_problems(cursor, connection)
    return issues


def _role_problems(connection) -> list[str]:
    issues = []
    with connection.cursor() as cursor:
        for role in (agent_role(connection), unscoped_role(connection)):
            cursor.execute(
                """
                SELECT r.rolsuper OR r.rolbypassrls OR r.rolcreaterole
                         OR r.rolcreatedb OR r.rolcanlogin,
                       pg_has_role(current_user, r.oid, 'MEMBER'),
                       pg_has_role(current_user, r.oid, 'USAGE'),
                       EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)
                FROM pg_roles r WHERE r.rolname = %s
                """,
                [role],
            )
            found = cursor.fetchone()
            if found is None:
                issues.append(f"the role {role} does not exist")
                continue
            powerful, member, inherits, belongs = found
            if powerful:
                issues.append(f"{role} may log in, bypass RLS, or create roles")
            if not member:
                issues.append(f"the app's role is not a member of {role}")
            if inherits:
                issues.append(f"the app's role inherits {role}'s privileges")
            if belongs:
                issues.append(f"{role} is a member of another role")
    return issues


def _agent_privilege_problems(cursor, agent: str) -> list[str]:
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
    sets_scope, reads_settings, catalog, info_schema, temp, limits = cursor.fetchone()
    issues = []
    if sets_scope:
        issues.append(f"{agent} may call set_config() and change its own scope")
    if not reads_settings:
        issues.append(f"{agent} may not call current_setting() (the policies do)")
    if catalog or info_schema:
        issues.append(f"{agent} may read the catalogs")
    if temp:
        issues.append(f"{agent} may create temporary tables")
    if not limits:
        issues.append("the app's role may not set temp_file_limit for agent SQL")
    return issues


def _table_problems(cursor, connection) -> list[str]:
    agent, unscoped = agent_role(connection), unscoped_role(connection)
    allowed = registry.agent_tables(connection)
    scoped = {table.name for table in registry.scoped_tables(connection)}
    cursor.execute(
        """
        SELECT c.relname, pg_get_userbyid(c.relowner),
               c.relrowsecurity AND c.relforcerowsecurity,
               has_table_privilege(%(a)s, c.oid, 'SELECT'),
               has_table_privilege(
                 %(a)s, c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER'
               ) OR has_any_column_privilege(
                 %(a)s, c.oid, 'SELECT,INSERT,UPDATE,REFERENCES'
               )
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        """,
        {"a": agent},
    )
    issues = []
    for table, owner, secured, reads, anything in cursor.fetchall():
        if table in scoped and owner != unscoped:
            issues.append(f"{table} is owned by {owner}, not {unscoped}")
        if table in scoped and not secured:
            issues.append(f"{table} does not enforce row level security")
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


def _policy_problems(cursor, connection) -> list[str]:
    """Each scoped table has exactly the two policies, for exactly their roles."""
    expected = {
        ISOLATION_POLICY: sorted([app_role(connection), agent_role(connection)]),
        UNSCOPED_POLICY: [unscoped_role(connection)],
    }
    scoped = {table.name for table in registry.scoped_tables(connection)}
    cursor.execute(
        """
        SELECT c.relname, p.polname, p.polpermissive,
               ARRAY(SELECT rolname FROM pg_roles WHERE oid = ANY(p.polroles)
                     ORDER BY rolname)
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
        WHERE c.relnamespace = current_schema()::regnamespace
        """
    )
    found: dict[str, dict[str, list[str]]] = {}
    issues = []
    for table, name, permissive, policy_roles in cursor.fetchall():
        found.setdefault(table, {})[name] = list(policy_roles)
        if name not in expected or not permissive:
            issues.append(f"{table} has a policy {name} the scoping did not make")
    for table in sorted(scoped):
        for name, policy_roles in expected.items():
            if found.get(table, {}).get(name) != policy_roles:
                issues.append(f"{table}'s policy {name} is not for {policy_roles}")
    return issues


def _ident(cursor, name: str) -> str:
    cursor.execute("SELECT quote_ident(%s)", [name])
    return cursor.fetchone()[0]
