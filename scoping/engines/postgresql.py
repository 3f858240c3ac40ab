"""PostgreSQL engine: row level security, bound once per scope entry.

Every scoped table gets ENABLE + FORCE ROW LEVEL SECURITY, column defaults that fill
the scope columns in, and two policies (the roles are in `scoping.roles`):
- `scoping_isolation`, for the app's role and the agent's: the scope columns equal
  the transaction-local settings (`set_config(..., true)`), and nothing else, so the
  planner answers a scoped read from the columns' indexes;
- `scoping_unscoped`, for the unscoped role (the tables' owner): every row.
A scope entry is one statement whatever the number of tables: the two settings and
the role (back to the app's, or the unscoped one). Policies filter every statement,
qualified or not, ORM or raw. Superusers and BYPASSRLS roles skip policies, so a
check refuses them (scoping.checks).
"""

from django.db.backends.utils import truncate_name

from scoping import registry, roles
from scoping.context import current_scope

OWNER_SETTING = "scoping.owner_email"
ORG_SETTING = "scoping.org_id"


def apply_scope(connection, *, local: bool = True) -> None:
    """Bind the current scope to the connection's transaction: one statement.

    `local=False` binds it to the session instead, for `migrate` and `flush`, which
    run outside one transaction; their scope is reset to none when they finish.
    """
    scope = current_scope()
    is_local = "true" if local else "false"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT set_config(%s, %s, {is_local}), set_config(%s, %s, {is_local}), "
            f"set_config('role', %s, {is_local})",
            [
                OWNER_SETTING,
                scope.owner_email or "",
                ORG_SETTING,
                str(scope.org_id) if scope.org_id is not None else "",
                # 'none' is the role the connection logged in as: the app's.
                roles.unscoped_role(connection) if scope.unscoped else "none",
            ],
        )


def _setting(name: str) -> str:
    # Unset reads as NULL, reset as ''; NULLIF makes both NULL, which matches nothing.
    return f"NULLIF(current_setting('{name}', true), '')"


def _org_value(table: registry.ScopedTable) -> str:
    cast = "uuid" if table.org_type == "uuid" else "text"
    return f"{_setting(ORG_SETTING)}::{cast}"


def policy_sql(connection, table: registry.ScopedTable) -> list[str]:
    """The statements that put `table` under the scoping policies (idempotent)."""
    quote = connection.ops.quote_name
    name = quote(table.name)
    conditions = []
    defaults = []
    if table.has_owner:
        conditions.append(f"owner_email = {_setting(OWNER_SETTING)}")
        defaults.append(
            f"ALTER TABLE {name} ALTER COLUMN owner_email "
            f"SET DEFAULT {_setting(OWNER_SETTING)}"
        )
    if table.has_org:
        conditions.append(f"org_id = {_org_value(table)}")
        defaults.append(
            f"ALTER TABLE {name} ALTER COLUMN org_id SET DEFAULT {_org_value(table)}"
        )
    rule = " AND ".join(conditions)
    scoped_roles = f"{quote(roles.app_role(connection))}, " + quote(
        roles.agent_role(connection)
    )
    isolation, everything = roles.ISOLATION_POLICY, roles.UNSCOPED_POLICY
    return [
        f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {isolation} ON {name}",
        f"CREATE POLICY {isolation} ON {name} TO {scoped_roles} "
        f"USING ({rule}) WITH CHECK ({rule})",
        f"DROP POLICY IF EXISTS {everything} ON {name}",
        f"CREATE POLICY {everything} ON {name} "
        f"TO {quote(roles.unscoped_role(connection))} USING (true) WITH CHECK (true)",
        *defaults,
    ]


def install_policies(connection) -> list[str]:
    """Put every scoped table under the policy; return their names."""
    tables = registry.scoped_tables(connection)
    with connection.cursor() as cursor:
        for table in tables:
            for statement in policy_sql(connection, table):
                cursor.execute(statement)
    return [table.name for table in tables]


def same_org_sql(connection, reference: registry.OrgReference) -> list[str]:
    """A composite foreign key (column, org_id) -> (key, org_id): the row referenced
    must be in the referencing row's org. Foreign key checks run as the table owner
    without row level security, so without it a row could point at another org's
    (and learn that it exists).

    NOT DEFERRABLE, so the statement that breaks it fails, not a later commit.
    """
    quote = connection.ops.quote_name
    org = registry.ORG_COLUMN
    target = f"{quote(reference.target)} ({quote(reference.target_column)}, {org})"
    index = truncate_name(f"scoping_key_org_{reference.target}", 63)
    constraint = truncate_name(
        f"scoping_same_org_{reference.table}_{reference.column}", 63
    )
    return [
        f"CREATE UNIQUE INDEX IF NOT EXISTS {quote(index)} ON {target}",
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint "
        f"WHERE conname = '{constraint}' "
        f"AND conrelid = '{quote(reference.table)}'::regclass) THEN "
        f"ALTER TABLE {quote(reference.table)} ADD CONSTRAINT {quote(constraint)} "
        f"FOREIGN KEY ({quote(reference.column)}, {org}) "
        f"REFERENCES {target}; "
        "END IF; END $$",
    ]


def install_same_org_references(connection) -> list[registry.OrgReference]:
    """Keep every reference between org-scoped tables inside one org."""
    references = registry.org_references(connection)
    with connection.cursor() as cursor:
        for reference in references:
            for statement in same_org_sql(connection, reference):
                cursor.execute(statement)
    return references


def role_skips_policies(connection) -> bool:
    """Whether the connected role is a superuser or has BYPASSRLS."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        return bool(cursor.fetchone()[0])
