"""SQL written by agents: checked before it runs, then run inside the caller's scope.

The scoping engines are the first wall: whatever runs, runs in the scope. This is the
second: a statement runs only if it is exactly one plain SELECT (`run_query`) or one
INSERT/UPDATE/DELETE (`run_exec`) on unqualified scoped tables, calling only allowed
functions, never writing `owner_email`/`org_id`. What runs is the statement as parsed
(sqlglot), regenerated without comments, so what was checked is what the database sees.
Values travel as parameters (`?` placeholders), never inside the SQL text.
"""

import base64
import datetime
import decimal
import json
import sqlite3
import time
import uuid
from dataclasses import dataclass

import sqlglot
from django.db import connection, transaction
from sqlglot import exp

from config.errors import InvalidInput
from scoping import registry
from scoping.context import current_scope

MAX_ROWS = 500
MAX_BYTES = 256 * 1024
STATEMENT_TIMEOUT_MS = 5_000
SCOPE_COLUMNS = frozenset({registry.OWNER_COLUMN, registry.ORG_COLUMN})
SYSTEM_PREFIXES = ("pg_", "sqlite_", "information_schema")
# Never reachable from agent SQL, even if a team scopes such a table one day.
DENIED_TABLE_WORDS = ("secret", "token", "password")

# Functions by sqlglot's class for the ones it knows, by name for the rest.
# fmt: off
ALLOWED_FUNCTION_CLASSES = frozenset({
    "Abs", "ArrayAgg", "Avg", "Case", "Cast", "Ceil", "Coalesce", "Concat", "Count",
    "CurrentDate", "CurrentTimestamp", "Date", "DateTrunc", "Datetime", "Extract",
    "Floor", "Greatest", "GroupConcat", "If", "Initcap", "Least", "Left", "Length",
    "Lower", "Max", "Min", "Nullif", "Replace", "Right", "Round", "StrPosition",
    "Substring", "Sum", "TimeToStr", "TimestampTrunc", "Trim", "TryCast",
    "TsOrDsToTimestamp", "Upper",
})
ALLOWED_FUNCTION_NAMES = frozenset({
    "age", "char_length", "date", "date_part", "datetime", "format", "ifnull", "instr",
    "json_extract", "julianday", "ltrim", "now", "printf", "rtrim", "strftime",
    "string_agg", "time", "to_char", "total",
})
# Statement kinds that may never appear, at the top or nested (CTEs, subqueries).
FORBIDDEN_NODES = tuple(
    getattr(exp, name)
    for name in (
        "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "Command",
        "Pragma", "Set", "Transaction", "Commit", "Rollback", "Copy", "Use", "Attach",
        "Detach", "Describe", "Grant", "Revoke", "TruncateTable", "Lock", "Analyze",
        "Kill", "Summarize", "LoadData", "Into",
    )
    if hasattr(exp, name)
)
# fmt: on


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list]
    truncated: bool


class Refused(InvalidInput):
    """An agent statement that will not run; the message says why."""


def run_query(sql: str, params: list | None = None) -> QueryResult:
    """Run one SELECT, read-only, in the current scope; at most MAX_ROWS/MAX_BYTES."""
    statement, values = _checked(sql, params, kind="query")
    with _guarded(read_only=True) as cursor:
        cursor.execute(statement, values)
        columns = [column[0] for column in cursor.description or []]
        rows, size, truncated = [], 0, False
        for row in cursor.fetchmany(MAX_ROWS + 1):
            if len(rows) == MAX_ROWS:
                truncated = True
                break
            cells = [json_value(cell) for cell in row]
            size += len(json.dumps(cells, default=str))
            if size > MAX_BYTES:
                truncated = True
                break
            rows.append(cells)
    return QueryResult(columns=columns, rows=rows, truncated=truncated)


def run_exec(sql: str, params: list | None = None) -> int:
    """Run one INSERT, UPDATE or DELETE in the current scope; return the row count."""
    statement, values = _checked(sql, params, kind="exec")
    with _guarded(read_only=False) as cursor:
        cursor.execute(statement, values)
        return max(cursor.rowcount, 0)


# --- Checking -------------------------------------------------------------------------


def check(
    sql: str, *, kind: str, vendor: str, allowed_tables: set[str]
) -> exp.Expression:
    """The parsed statement if it may run as `kind` ("query"/"exec"), else Refused."""
    dialect = "postgres" if vendor == "postgresql" else "sqlite"
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except sqlglot.errors.SqlglotError:
        raise Refused("The SQL could not be parsed.") from None
    if len(statements) != 1:
        raise Refused("Send exactly one statement.")
    statement = statements[0]
    allowed_roots = (
        (exp.Select, exp.SetOperation)
        if kind == "query"
        else (exp.Insert, exp.Update, exp.Delete)
    )
    if not isinstance(statement, allowed_roots):
        wanted = "a SELECT" if kind == "query" else "an INSERT, UPDATE or DELETE"
        raise Refused(f"Only {wanted} is allowed here.")
    for node in statement.walk():
        if node is not statement and isinstance(node, FORBIDDEN_NODES):
            raise Refused(f"{node.key.upper()} is not allowed inside a statement.")
    if statement.args.get("into") or statement.args.get("locks"):
        raise Refused("SELECT INTO and locking clauses are not allowed.")
    _check_tables(statement, allowed_tables)
    _check_functions(statement)
    if kind == "exec":
        _check_write(statement)
    return statement


def _check_tables(statement: exp.Expression, allowed: set[str]) -> None:
    cte_names = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    for table in statement.find_all(exp.Table):
        if table.args.get("db") or table.args.get("catalog"):
            raise Refused("Schema-qualified names are not allowed; use the table name.")
        if not isinstance(table.this, exp.Identifier):
            raise Refused("Table functions are not allowed.")
        name = table.name.lower()
        if name in cte_names:
            continue
        if name.startswith(SYSTEM_PREFIXES):
            raise Refused(f"{name} is a system catalog.")
        if (
            name not in allowed
            or name.startswith(registry.FRAMEWORK_TABLE_PREFIXES)
            or any(word in name for word in DENIED_TABLE_WORDS)
        ):
            raise Refused(f"Table {name} is not available to agents.")


def _check_functions(statement: exp.Expression) -> None:
    for function in statement.find_all(exp.Func):
        if isinstance(function, exp.Anonymous):
            if function.name.lower() not in ALLOWED_FUNCTION_NAMES:
                raise Refused(f"Function {function.name} is not allowed.")
        elif type(function).__name__ not in ALLOWED_FUNCTION_CLASSES:
            raise Refused(f"Function {function.sql_name()} is not allowed.")


def _check_write(statement: exp.Expression) -> None:
    if statement.args.get("conflict"):
        raise Refused("ON CONFLICT is not allowed.")
    if statement.args.get("with_") or statement.args.get("with"):
        raise Refused("WITH is allowed in queries only.")
    if isinstance(statement, exp.Insert):
        if not isinstance(statement.this, exp.Schema):
            raise Refused("Name the columns an INSERT writes.")
        written = [column.name for column in statement.this.expressions]
    elif isinstance(statement, exp.Update):
        written = [assignment.this.name for assignment in statement.expressions]
    else:
        written = []
    for column in written:
        if column.lower() in SCOPE_COLUMNS:
            raise Refused(f"{column} is set by the scope and cannot be written.")


# --- Running --------------------------------------------------------------------------


def _checked(sql: str, params, *, kind: str) -> tuple[str, list]:
    scope = current_scope()
    if scope.unscoped or (scope.owner_email is None and scope.org_id is None):
        raise Refused("Agent SQL runs only inside a user's scope.")
    allowed = {t.name for t in registry.scoped_tables(connection)}
    statement = check(sql, kind=kind, vendor=connection.vendor, allowed_tables=allowed)
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
    dialect = "postgres" if connection.vendor == "postgresql" else "sqlite"
    rendered = statement.transform(_for_django_cursor).sql(
        dialect=dialect, comments=False
    )
    return rendered, values


def _for_django_cursor(node):
    # Django's cursors take %s placeholders, and a literal % written as %%.
    if isinstance(node, exp.Placeholder):
        return exp.Var(this="%s")
    if isinstance(node, exp.Literal) and node.is_string:
        return exp.Literal.string(node.this.replace("%", "%%"))
    return node


class _guarded:
    """A savepoint in which the statement runs read-only (queries) and time-limited."""

    def __init__(self, *, read_only: bool):
        self.read_only = read_only

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.cursor = connection.cursor()
        if connection.vendor == "postgresql":
            self.cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
            if self.read_only:
                self.cursor.execute("SET LOCAL transaction_read_only = on")
        else:
            raw = connection.connection
            deadline = time.monotonic() + STATEMENT_TIMEOUT_MS / 1000
            raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
            if self.read_only:
                raw.execute("PRAGMA query_only = ON")
                raw.set_authorizer(_sqlite_read_authorizer())
        return self.cursor

    def __exit__(self, exc_type, exc, tb):
        try:
            if connection.vendor == "sqlite":
                raw = connection.connection
                raw.set_authorizer(None)
                raw.set_progress_handler(None, 0)
                raw.execute("PRAGMA query_only = OFF")
            self.cursor.close()
            if self.read_only and exc_type is None:
                # Undo the read-only/timeout settings along with the savepoint.
                transaction.set_rollback(True)
        finally:
            self.atomic.__exit__(exc_type, exc, tb)
        if exc_type is not None and issubclass(exc_type, Exception):
            if isinstance(exc, Refused):
                return False
            raise Refused(f"The database refused the statement: {_first_line(exc)}")
        return False


def _sqlite_read_authorizer():
    """The second wall on SQLite: reads only through the scope's views."""
    scoped = {t.name for t in registry.scoped_tables(connection)}

    def authorize(action, arg1, arg2, database, view):
        if action == sqlite3.SQLITE_READ:
            if arg1 in scoped and database == "main" and view is None:
                return sqlite3.SQLITE_DENY  # around the view, straight to the table
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION:
            name = (arg2 or "").lower()
            return (
                sqlite3.SQLITE_OK
                if name in ALLOWED_FUNCTION_NAMES or name in _SQLITE_BUILTINS
                else sqlite3.SQLITE_DENY
            )
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    return authorize


# The SQLite spellings of the functions allowed by class above.
# fmt: off
_SQLITE_BUILTINS = frozenset({
    "abs", "avg", "ceil", "coalesce", "concat", "count", "date", "datetime", "floor",
    "group_concat", "ifnull", "iif", "instr", "julianday", "length", "lower", "ltrim",
    "max", "min", "nullif", "printf", "replace", "round", "rtrim", "strftime", "substr",
    "substring", "sum", "time", "trim", "upper",
    "like", "glob",  # operators SQLite runs as functions
})
# fmt: on


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else "error"


def json_value(value):
    """A database value as JSON: dates ISO 8601, UUIDs and decimals as text, bytes
    as base64."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value
