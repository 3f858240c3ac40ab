"""Agent SQL on SQLite: an authorizer of its own, and writes that only see the scope.

The authorizer is SQLite's, so it judges what the statement resolved to, not how it
was spelled. During an agent statement it lets the statement
- read scoped tables only through their scope views (SQLite names the view a read
  comes from) and the scope's own triggers; no other table, no catalog;
- call only the allowed functions; no PRAGMA, ATTACH, recursive CTE or DDL;
- write only its one target table, never a scope column, and read that target
  directly only by its primary key.
That last rule shapes how writes run. An UPDATE's condition and new values are worked
out by a SELECT through the scope view first, then the rows are written by key; a
DELETE deletes the keys its condition selects through the view. So no expression is
evaluated on another scope's row, and no error or count depends on one (the error
oracle of a WHERE run on every row). Strings and blobs are capped in size, so no
statement can build a huge value, and rows are counted as they are fetched.
"""

import sqlite3
import time
from contextlib import contextmanager

import sqlglot
from django.db import connection, transaction
from sqlglot import exp

from scoping import registry
from scoping.agent_sql.checks import (
    ALLOWED_FUNCTION_NAMES,
    SCOPE_COLUMNS,
    Refused,
    identifier,
)
from scoping.agent_sql.results import Collector, QueryResult
from scoping.app_settings import app_settings
from scoping.engines.sqlite import OBJECT_PREFIX, scope_values
from scoping.scopes import sqlite_engine

# The SQLite spellings of the functions allowed by class in checks.py.
_SQLITE_BUILTINS = frozenset(
    {
        "abs",
        "avg",
        "ceil",
        "coalesce",
        "concat",
        "count",
        "date",
        "datetime",
        "floor",
        "group_concat",
        "ifnull",
        "iif",
        "instr",
        "julianday",
        "length",
        "lower",
        "ltrim",
        "max",
        "min",
        "nullif",
        "printf",
        "replace",
        "round",
        "rtrim",
        "strftime",
        "substr",
        "substring",
        "sum",
        "time",
        "trim",
        "upper",
        # Operators SQLite runs as functions.
        "like",
        "glob",
    }
)
ALLOWED_FUNCTIONS = _SQLITE_BUILTINS | ALLOWED_FUNCTION_NAMES


def run_query(statement: exp.Expression, params: list, *, tables) -> QueryResult:
    """Run a checked SELECT, read-only, through the scope views; capped."""
    return _query(
        statement.sql(dialect="sqlite", comments=False),
        params,
        tables=tables,
        ctes=_cte_names(statement),
    )


def query(sql: str, params: list, *, tables) -> QueryResult:
    """Run SQL text as a query under the agent authorizer (no checks involved)."""
    try:
        ctes = _cte_names(sqlglot.parse_one(sql, read="sqlite"))
    except sqlglot.errors.SqlglotError:
        ctes = None
    return _query(sql, params, tables=tables, ctes=ctes)


def _cte_names(statement: exp.Expression) -> frozenset[str] | None:
    """The names `statement` gives its CTEs, as SQLite compares them; None when
    part of it is text sqlglot did not parse (any name there may be one).

    SQLite's authorizer names a CTE's reads as it names a scope view's: a CTE
    called after a scoped table, or after the scope's triggers, reading
    `main.<table>` looks like the view itself. The SQL run is generated from this
    tree, so these are all the CTEs it has.
    """
    if any(isinstance(node, exp.Command) for node in statement.walk()):
        return None
    return frozenset(
        cte.alias.lower() for cte in statement.find_all(exp.CTE) if cte.alias
    )


def _query(sql: str, params: list, *, tables, ctes) -> QueryResult:
    collector = Collector(
        max_rows=app_settings.AGENT_SQL_MAX_ROWS,
        max_bytes=app_settings.AGENT_SQL_MAX_BYTES,
    )
    with _guarded(read_only=True, target=None, tables=tables, ctes=ctes) as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description or []]
        while (row := cursor.fetchone()) is not None and collector.add(row):
            pass
    return QueryResult(columns, collector.rows, collector.truncated)


def run_exec(statement: exp.Expression, params: list, *, tables) -> int:
    """Run a checked INSERT, UPDATE or DELETE; return how many rows it changed."""
    table = statement.this
    if isinstance(statement, exp.Insert):
        table = table.this if isinstance(table, exp.Schema) else None
    if not isinstance(statement, exp.Insert | exp.Update | exp.Delete) or not (
        isinstance(table, exp.Table) and isinstance(table.this, exp.Identifier)
    ):
        # Only reachable when the checks were skipped: the shapes below need these.
        raise Refused(
            "Only an INSERT (naming its columns), UPDATE or DELETE runs here."
        )
    if any(statement.args.get(c) for c in ("conflict", "alternative", "ignore")):
        # The authorizer cannot see these, and a REPLACE deletes the row it
        # conflicts with, in whatever scope (the delete trigger refuses that too).
        raise Refused("Conflict clauses (OR REPLACE, ON CONFLICT…) do not run here.")
    target = identifier(table.this, vendor="sqlite")
    key = tables.get(target) or registry.primary_keys(connection, [target]).get(target)
    inserting = isinstance(statement, exp.Insert)
    with _guarded(
        read_only=False,
        target=target,
        tables=tables,
        inserting=inserting,
        ctes=_cte_names(statement),
    ) as cursor:
        if inserting:
            sql, scope_params = _insert(statement, target=target)
            cursor.execute(sql, scope_params + params)
        elif isinstance(statement, exp.Update):
            select, write = _update(statement, target=target, key=_needs(key, target))
            cursor.execute(select, params)
            cursor.executemany(write, _rows_by_key(cursor.fetchall()))
        else:
            delete = _delete(statement, target=target, key=_needs(key, target))
            cursor.execute(delete, params)
        return max(cursor.rowcount, 0)


def _needs(key: str | None, target: str) -> str:
    if key is None:
        raise Refused(f"{target} has no one-column primary key to write rows by.")
    return key


# --- Shaping writes -------------------------------------------------------------------


def _quoted(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(dialect="sqlite")


def _main(table: exp.Table) -> exp.Table:
    """The real table behind the scope view: `main."<name>"`, keeping any alias."""
    real = table.copy()
    real.set("db", exp.to_identifier("main"))
    real.set("this", exp.to_identifier(table.name, quoted=True))
    return real


def _insert(statement: exp.Insert, *, target: str) -> tuple[str, list]:
    """INSERT into the real table with the scope columns it leaves out filled in.

    Returns the SQL and the scope's values, bound ahead of the agent's parameters.
    """
    schema = statement.this
    written = {column.name.lower() for column in schema.expressions}
    scoped = sqlite_engine(connection).tables.get(target)
    wanted = {
        registry.OWNER_COLUMN: scoped is not None and scoped.has_owner,
        registry.ORG_COLUMN: scoped is not None and scoped.has_org,
    }
    added = [c for c, wanted_here in wanted.items() if wanted_here and c not in written]
    insert = statement.copy()
    insert.set(
        "this",
        exp.Schema(
            this=_main(schema.this),
            expressions=[
                *(column.copy() for column in schema.expressions),
                *(exp.to_identifier(column, quoted=True) for column in added),
            ],
        ),
    )
    if added:
        # SELECT *, <scope values> FROM (<the agent's rows>): one shape for VALUES
        # and SELECT, and the scope's placeholders come before the agent's.
        rows = exp.Subquery(this=statement.expression.copy())
        insert.set(
            "expression",
            exp.select(exp.Star(), *(exp.Placeholder() for _ in added)).from_(rows),
        )
    values = scope_values()
    return insert.sql(dialect="sqlite", comments=False), [values[c] for c in added]


def _update(statement: exp.Update, *, target: str, key: str) -> tuple[str, str]:
    """A SELECT of each matching row's key and new values, through the scope view,
    and the UPDATE that writes them by key (one row per parameter set)."""
    table = statement.this
    select = exp.select(
        exp.column(key, table=table.alias_or_name, quoted=True),
        *(assignment.expression.copy() for assignment in statement.expressions),
    ).from_(table.copy())
    from_ = statement.args.get("from_")
    if from_ is not None:
        select = select.join(exp.Join(this=from_.this.copy()))
    if statement.args.get("where") is not None:
        select.set("where", statement.args["where"].copy())
    columns = ", ".join(
        f"{_quoted(assignment.this.name)} = ?" for assignment in statement.expressions
    )
    write = f"UPDATE main.{_quoted(target)} SET {columns} WHERE {_quoted(key)} = ?"
    return select.sql(dialect="sqlite", comments=False), write


def _rows_by_key(found: list[tuple]) -> list[list]:
    """[new values…, key] per row; UPDATE … FROM may match a row more than once."""
    rows, seen = [], set()
    for key_value, *values in found:
        if key_value not in seen:
            seen.add(key_value)
            rows.append([*values, key_value])
    return rows


def _delete(statement: exp.Delete, *, target: str, key: str) -> str:
    """DELETE the keys that the condition selects through the scope view."""
    table = statement.this
    chosen = exp.select(exp.column(key, table=table.alias_or_name, quoted=True)).from_(
        table.copy()
    )
    if statement.args.get("where") is not None:
        chosen.set("where", statement.args["where"].copy())
    delete = exp.Delete(
        this=_main(exp.to_table(target)),
        where=exp.Where(this=exp.column(key, quoted=True).isin(query=chosen)),
    )
    return delete.sql(dialect="sqlite", comments=False)


# --- The guard ------------------------------------------------------------------------


@contextmanager
def _guarded(
    *, read_only: bool, target: str | None, tables, ctes, inserting: bool = False
):
    """A savepoint, the agent authorizer, a deadline and size limits. `ctes`: the
    statement's CTE names (None: unknown), never taken for a scope view.

    Read-only statements are also rolled back, with PRAGMA query_only on: a wall
    of their own.
    """
    connection.ensure_connection()
    raw = connection.connection
    engine = sqlite_engine(connection)
    denial: list[str] = []
    target = target if target in tables else None  # only an agent table is written
    authorizer = _authorizer(
        scoped=set(engine.tables),
        target=target,
        key=tables.get(target) if target else None,
        key_lookups=_key_lookups(target) if target else set(),
        inserting=inserting,
        ctes=ctes,
        denial=denial,
    )
    deadline = time.monotonic() + app_settings.AGENT_SQL_TIMEOUT_MS / 1000
    with transaction.atomic():
        cursor = raw.cursor()
        if read_only:
            raw.execute("PRAGMA query_only = ON")
        previous_length = raw.setlimit(
            sqlite3.SQLITE_LIMIT_LENGTH, app_settings.AGENT_SQL_MAX_VALUE_BYTES
        )
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        raw.set_authorizer(authorizer)
        try:
            yield cursor
        except sqlite3.Error as error:
            reason = denial[0] if denial else _first_line(error)
            raise Refused(f"The database refused the statement: {reason}") from None
        finally:
            engine.restore_authorizer()
            raw.set_progress_handler(None, 0)
            raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, previous_length)
            if read_only:
                raw.execute("PRAGMA query_only = OFF")
            cursor.close()
        if read_only:
            transaction.set_rollback(True)


def _key_lookups(target: str) -> set[tuple[str, str]]:
    """The (table, column) pairs SQLite reads directly to enforce the foreign keys
    of a write to `target`: the keys its rows reference, and the columns that
    reference its keys. It reports them as plain reads; they return nothing to the
    statement."""
    lookups = set()
    for key in registry.foreign_keys(connection):
        if key.table == target:
            lookups.add((key.target, key.target_column))
        if key.target == target:
            lookups.add((key.table, key.column))
    return lookups


def _authorizer(
    *,
    scoped: set[str],
    target: str | None,
    key: str | None,
    key_lookups: set[tuple[str, str]],
    inserting: bool,
    ctes: frozenset[str] | None,
    denial: list[str],
):
    def refuse(reason: str) -> int:
        denial.append(reason)
        return sqlite3.SQLITE_DENY

    def authorize(action, arg1, arg2, database, source):
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            ours = source is not None and (
                source in scoped or source.startswith(OBJECT_PREFIX)
            )
            if ours and ctes is not None and source.lower() not in ctes:
                return sqlite3.SQLITE_OK  # inside a scope view or trigger
            if database == "temp" and arg1 in scoped:
                return sqlite3.SQLITE_OK  # the scope view itself
            if database == "main" and arg1 == target and arg2 == key:
                return sqlite3.SQLITE_OK  # a write finding its rows by key
            if database == "main" and (arg1, arg2) in key_lookups:
                return sqlite3.SQLITE_OK  # SQLite enforcing a foreign key
            return refuse(f"table {arg1} is not available to agents.")
        if action == sqlite3.SQLITE_FUNCTION:
            if (arg2 or "").lower() in ALLOWED_FUNCTIONS:
                return sqlite3.SQLITE_OK
            return refuse(f"function {arg2} is not allowed.")
        if target is not None and database == "main" and arg1 == target:
            if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_DELETE):
                return sqlite3.SQLITE_OK
            # An INSERT that updates is an upsert: it would update the row it
            # conflicts with, whoever's it is.
            if (
                action == sqlite3.SQLITE_UPDATE
                and not inserting
                and arg2 not in (*SCOPE_COLUMNS, key)
            ):
                return sqlite3.SQLITE_OK
        return refuse("only reads of your tables and writes to one of them run here.")

    return authorize


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else "error"
