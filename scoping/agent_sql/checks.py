"""The parser's wall: one plain statement on the agent tables, allowed functions only.

This is one layer of three. What runs is regenerated from the checked tree (so what was
checked is what the database sees), and the database then holds on its own: a role with
grants on the agent tables only (PostgreSQL), an authorizer on every agent statement
(SQLite), and the scope's row level security or views underneath.

Names resolve as the database resolves them: a table reference names a CTE only inside
the query that defines it (and, within its WITH, only after it), so a CTE called
`accounts_user` in a subquery shadows nothing outside that subquery.
"""

import re

import sqlglot
from sqlglot import exp

from config.errors import InvalidInput
from scoping import registry


class Refused(InvalidInput):
    """An agent statement that will not run; the message says why."""


SCOPE_COLUMNS = frozenset({registry.OWNER_COLUMN, registry.ORG_COLUMN})
# Functions by sqlglot's class for those it knows, by name for the rest.
ALLOWED_FUNCTION_CLASSES = frozenset(
    {
        "Abs",
        "ArrayAgg",
        "Avg",
        "Case",
        "Cast",
        "Ceil",
        "Coalesce",
        "Concat",
        "Count",
        "CurrentDate",
        "CurrentTimestamp",
        "Date",
        "DateTrunc",
        "Datetime",
        "Extract",
        "Floor",
        "Greatest",
        "GroupConcat",
        "If",
        "Initcap",
        "Least",
        "Left",
        "Length",
        "Lower",
        "Max",
        "Min",
        "Nullif",
        "Replace",
        "Right",
        "Round",
        "StrPosition",
        "Substring",
        "Sum",
        "TimeToStr",
        "TimestampTrunc",
        "Trim",
        "TryCast",
        "TsOrDsToTimestamp",
        "Upper",
    }
)
ALLOWED_FUNCTION_NAMES = frozenset(
    {
        "age",
        "char_length",
        "date",
        "date_part",
        "datetime",
        "ifnull",
        "instr",
        "julianday",
        "ltrim",
        "now",
        "printf",
        "rtrim",
        "strftime",
        "string_agg",
        "time",
        "to_char",
        "total",
    }
)
# The types a CAST may produce: plain values, never object identifiers (regclass…).
ALLOWED_CAST_TYPES = frozenset(
    {
        "BIGINT",
        "BOOLEAN",
        "CHAR",
        "DATE",
        "DECIMAL",
        "DOUBLE",
        "FLOAT",
        "INT",
        "INTERVAL",
        "JSON",
        "JSONB",
        "NCHAR",
        "NVARCHAR",
        "SMALLINT",
        "TEXT",
        "TIME",
        "TIMESTAMP",
        "TIMESTAMPTZ",
        "UUID",
        "VARCHAR",
    }
)
# printf's widths and precisions build strings of that size: bounded, never `*`.
MAX_FORMAT_WIDTH = 100
_FORMAT_SPEC = re.compile(r"%[-+ 0#,!]*(\*|\d+)?(?:\.(\*|\d+))?")
# Statement kinds that may never appear, at the top or nested (CTEs, subqueries).
FORBIDDEN_NODES = tuple(
    getattr(exp, name)
    for name in (
        "Insert",
        "Update",
        "Delete",
        "Merge",
        "Create",
        "Drop",
        "Alter",
        "Command",
        "Pragma",
        "Set",
        "Transaction",
        "Commit",
        "Rollback",
        "Copy",
        "Use",
        "Attach",
        "Detach",
        "Describe",
        "Grant",
        "Revoke",
        "TruncateTable",
        "Lock",
        "Analyze",
        "Kill",
        "Summarize",
        "LoadData",
        "Into",
        "Parameter",
        "SessionParameter",
    )
    if hasattr(exp, name)
)


def dialect_of(vendor: str) -> str:
    return "postgres" if vendor == "postgresql" else "sqlite"


def parse(sql: str, *, vendor: str) -> exp.Expression:
    """The one statement in `sql`, parsed, or Refused."""
    try:
        statements = [
            s for s in sqlglot.parse(sql, read=dialect_of(vendor)) if s is not None
        ]
    except sqlglot.errors.SqlglotError:
        raise Refused("The SQL could not be parsed.") from None
    if len(statements) != 1:
        raise Refused("Send exactly one statement.")
    return statements[0]


def check(
    statement: exp.Expression,
    *,
    kind: str,
    vendor: str,
    tables: dict[str, str | None],
) -> None:
    """Refuse `statement` unless it may run as `kind` ("query" or "exec").

    `tables` maps each table agents may use to its primary key column (or None).
    """
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
        if isinstance(node, exp.With) and node.args.get("recursive"):
            raise Refused("Recursive WITH is not allowed.")
        if isinstance(node, exp.Select) and (node.args.get("into") or _locks(node)):
            raise Refused("SELECT INTO and locking clauses are not allowed.")
    if kind == "exec":
        _check_write(statement, tables)
    for table in statement.find_all(exp.Table):
        _check_table(table, vendor=vendor, tables=tables)
    _check_functions(statement)
    _check_casts(statement)


def identifier(node: exp.Identifier, *, vendor: str) -> str:
    """A name as the database compares it: PostgreSQL folds unquoted names to lower
    case and keeps quoted ones; SQLite ignores case either way."""
    name = node.this
    if vendor == "postgresql" and node.quoted:
        return name
    return name.lower()


def _locks(select: exp.Select) -> bool:
    return bool(select.args.get("locks"))


def _check_table(table: exp.Table, *, vendor: str, tables) -> None:
    if table.args.get("db") or table.args.get("catalog"):
        raise Refused("Schema-qualified names are not allowed; use the table name.")
    if not isinstance(table.this, exp.Identifier):
        raise Refused("Table functions are not allowed.")
    if _names_a_cte(table, vendor=vendor):
        return
    name = identifier(table.this, vendor=vendor)
    if name.startswith(registry.SYSTEM_TABLE_PREFIXES):
        raise Refused(f"{name} is a system catalog.")
    if name not in tables:
        raise Refused(f"Table {name} is not available to agents.")


def _names_a_cte(table: exp.Table, *, vendor: str) -> bool:
    """Whether `table` refers to a CTE visible where it stands.

    Walks outwards: a query's WITH offers its CTEs to the query's body, and to a CTE's
    own body only the CTEs before it (recursive WITH is refused). Qualified names never
    name a CTE.
    """
    if table.args.get("db") or table.args.get("catalog"):
        return False
    if not isinstance(table.this, exp.Identifier):
        return False
    name = identifier(table.this, vendor=vendor)
    # (the WITH, the index of its CTE) once the walk has come up through a CTE body.
    inside: tuple[exp.With, int] | None = None
    child, node = table, table.parent
    while node is not None:
        if isinstance(node, exp.With) and isinstance(child, exp.CTE):
            index = next(i for i, cte in enumerate(node.expressions) if cte is child)
            inside = (node, index)
        with_ = node.args.get("with_")
        if isinstance(with_, exp.With):
            visible = with_.expressions
            if inside is not None and inside[0] is with_:
                visible = visible[: inside[1]]
            if name in _cte_names(visible, vendor=vendor):
                return True
        child, node = node, node.parent
    return False


def _cte_names(ctes: list[exp.CTE], *, vendor: str) -> set[str]:
    return {
        identifier(cte.args["alias"].this, vendor=vendor)
        for cte in ctes
        if cte.args.get("alias") is not None
    }


def _check_functions(statement: exp.Expression) -> None:
    for function in statement.find_all(exp.Func):
        if isinstance(function, exp.Anonymous):
            name = function.name.lower()
            if name not in ALLOWED_FUNCTION_NAMES:
                raise Refused(f"Function {function.name} is not allowed.")
            if name == "printf":
                _check_format(function)
        elif type(function).__name__ not in ALLOWED_FUNCTION_CLASSES:
            raise Refused(f"Function {function.sql_name()} is not allowed.")


def _check_format(function: exp.Anonymous) -> None:
    """printf's format must be a literal with small widths: '%.300000000c' builds a
    300 MB string."""
    arguments = function.expressions
    template = arguments[0] if arguments else None
    if not (isinstance(template, exp.Literal) and template.is_string):
        raise Refused("printf's format must be a string literal.")
    for match in _FORMAT_SPEC.finditer(template.this):
        for size in match.groups():
            if size == "*" or (size is not None and int(size) > MAX_FORMAT_WIDTH):
                raise Refused(
                    f"printf widths and precisions are at most {MAX_FORMAT_WIDTH}."
                )


def _check_casts(statement: exp.Expression) -> None:
    for cast in statement.find_all(exp.Cast):
        target = cast.args.get("to")
        name = (
            target.this.name
            if isinstance(target, exp.DataType) and hasattr(target.this, "name")
            else None
        )
        if name not in ALLOWED_CAST_TYPES:
            raise Refused(f"Casting to {cast.to.sql()} is not allowed.")


def _check_write(statement: exp.Expression, tables: dict[str, str | None]) -> None:
    if any(isinstance(node, exp.With) for node in statement.walk()):
        raise Refused("WITH is allowed in queries only.")
    if statement.args.get("returning"):
        raise Refused("RETURNING is not allowed; db-exec answers the row count.")
    if statement.args.get("conflict") or statement.args.get("alternative"):
        raise Refused("Conflict clauses (ON CONFLICT, OR REPLACE…) are not allowed.")
    if statement.args.get("ignore") or statement.args.get("limit"):
        raise Refused("OR IGNORE and LIMIT are not allowed in writes.")
    target = statement.this
    if isinstance(statement, exp.Insert):
        if not isinstance(target, exp.Schema):
            raise Refused("Name the columns an INSERT writes.")
        written = [column.name for column in target.expressions]
        target = target.this
    elif isinstance(statement, exp.Update):
        written = [assignment.this.name for assignment in statement.expressions]
    else:
        written = []
    if not isinstance(target, exp.Table):
        raise Refused("Write to one table, by name.")
    primary_key = tables.get(target.name.lower())
    for column in written:
        if column.lower() in SCOPE_COLUMNS:
            raise Refused(f"{column} is set by the scope and cannot be written.")
        if primary_key and column.lower() == primary_key.lower():
            raise Refused(f"{column} is the primary key: the database assigns it.")
