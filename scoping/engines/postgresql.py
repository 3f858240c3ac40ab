"""PostgreSQL engine: row level security, bound once per scope entry.

Every scoped table gets ENABLE + FORCE ROW LEVEL SECURITY and one policy comparing its
scope columns with transaction-local settings (`set_config(..., true)`), and column
defaults that fill them in. Policies filter every statement, qualified or not, ORM or
raw; a scope entry costs one statement whatever the number of tables. Superusers and
BYPASSRLS roles skip policies, so a check refuses them (scoping.checks).
"""

from django.db.backends.utils import truncate_name

from scoping import registry
from scoping.context import current_scope

OWNER_SETTING = "scoping.owner_email"
ORG_SETTING = "scoping.org_id"
UNSCOPED_SETTING = "scoping.unscoped"
POLICY = "scoping_isolation"


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
            f"set_config(%s, %s, {is_local})",
            [
                OWNER_SETTING,
                scope.owner_email or "",
                ORG_SETTING,
                str(scope.org_id) if scope.org_id is not None else "",
                UNSCOPED_SETTING,
                "on" if scope.unscoped else "",
            ],
        )


def _setting(name: str) -> str:
    # Unset reads as NULL, reset as ''; NULLIF makes both NULL, which matches nothing.
    return f"NULLIF(current_setting('{name}', true), '')"


def _org_value(table: registry.ScopedTable) -> str:
    cast = "uuid" if table.org_type == "uuid" else "text"
    return f"{_setting(ORG_SETTING)}::{cast}"


def policy_sql(connection, table: registry.ScopedTable) -> list[str]:
    """The statements that put `table` under the scoping policy (idempotent)."""
    name = connection.ops.quote_name(table.name)
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
    rule = (
        f"(coalesce({_setting(UNSCOPED_SETTING)} = 'on', false) "
        f"OR ({' AND '.join(conditions)}))"
    )
    return [
        f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {name}",
        f"CREATE POLICY {POLICY} ON {name} USING {rule} WITH CHECK {rule}",
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
