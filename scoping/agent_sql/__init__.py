"""SQL written by agents: checked, then run inside the caller's scope by a database
that limits it on its own.

Three layers, each enough to stop a statement the others miss:
1. the parser (`checks`): one plain statement on the agent tables, allowed functions;
2. the database's limits on agent SQL: a role with grants on the agent tables only
   (`postgresql`), an authorizer on every statement (`sqlite`), caps on time, memory
   and result size;
3. the scope underneath: row level security or the scope views and triggers.
What runs is the statement as parsed, regenerated without comments, so what was
checked is what the database sees; values travel as parameters (`?`), never in SQL.
"""

from django.db import connection
from sqlglot import exp

from scoping import registry
from scoping.agent_sql import checks
from scoping.agent_sql.checks import Refused
from scoping.agent_sql.results import QueryResult, json_value
from scoping.context import current_scope

__all__ = ["QueryResult", "Refused", "json_value", "run_exec", "run_query"]


def run_query(sql: str, params: list | None = None) -> QueryResult:
    """Run one SELECT, read-only, in the current scope; capped in rows and bytes."""
    statement, values, tables = _checked(sql, params, kind="query")
    return _engine().run_query(statement, values, tables=tables)


def run_exec(sql: str, params: list | None = None) -> int:
    """Run one INSERT, UPDATE or DELETE in the current scope; return the row count.

    Audited: the statement as sent (cut at 500 characters, secret-looking values
    redacted) and the rows it changed; the parameters' values are not kept.
    """
    from accounts.services import audit_record

    statement, values, tables = _checked(sql, params, kind="exec")
    rowcount = _engine().run_exec(statement, values, tables=tables)
    audit_record(
        action="agent_sql.exec",
        metadata={"sql": sql[:500], "parameters": len(values), "rowcount": rowcount},
    )
    return rowcount


def _engine():
    if connection.vendor == "postgresql":
        from scoping.agent_sql import postgresql

        return postgresql
    from scoping.agent_sql import sqlite

    return sqlite


def _checked(sql: str, params, *, kind: str):
    scope = current_scope()
    if scope.unscoped or (scope.owner_email is None and scope.org_id is None):
        raise Refused("Agent SQL runs only inside a user's scope.")
    tables = registry.agent_tables(connection)
    statement = checks.parse(sql, vendor=connection.vendor)
    checks.check(statement, kind=kind, vendor=connection.vendor, tables=tables)
    values = list(params or [])
    placeholders = list(statement.find_all(exp.Placeholder))
    if len(placeholders) != len(values):
        raise Refused(
            f"The statement has {len(placeholders)} placeholders (?) but "
            f"{len(values)} parameters were sent."
        )
    for value in values:
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise Refused("Parameters must be strings, numbers, booleans or null.")
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            # What a database integer holds (SQLite cannot even bind more).
            raise Refused("Integer parameters must fit in 64 bits.")
    return statement, values, tables
