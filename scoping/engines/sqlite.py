"""SQLite engine: per-connection temp views, triggers, and write redirection.

What was measured (shared/DESIGN.md) decides the shape:
- A TEMP VIEW named like a table shadows it for unqualified names, so every read sees
  only the rows matching the scope held in the temp table `scoping_state`.
- Writes through such a view do nothing, so writes to a scoped table are redirected to
  `main."<table>"` by an execute wrapper, and TEMP BEFORE triggers on the real table
  abort a NEW row outside the scope and skip (RAISE(IGNORE)) an OLD row outside it.
- Temp views break the connection's own migrations, so `unscoped()` (which `migrate`
  and `flush` run in) drops them and puts them back afterwards.

The scope's values live in one row of `scoping_state`, written with bound parameters;
no value is ever put into SQL text. Outside any scope the row holds NULLs, so scoped
tables show nothing and take no writes: fail closed.
"""

import re

import sqlglot
from sqlglot import exp

from scoping import registry
from scoping.context import current_scope
from scoping.errors import ScopeViolation

STATE_TABLE = "scoping_state"

# The statement kinds whose target is redirected, and the target table's name.
_WRITE_TARGET = re.compile(
    r"""^\s*(?P<verb>INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO
        |UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+
        (?P<table>"[^"]+"|`[^`]+`|\[[^\]]+\]|\w+)""",
    re.IGNORECASE | re.VERBOSE,
)
# `main.<table>` in app SQL: a way around the views, refused for scoped tables.
_QUALIFIED = re.compile(
    r"""(?:"main"|`main`|\[main\]|\bmain)\s*\.\s*("[^"]+"|`[^`]+`|\[[^\]]+\]|\w+)""",
    re.IGNORECASE,
)


def _unquote(name: str) -> str:
    return name[1:-1] if name[:1] in '"`[' else name


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SQLiteEngine:
    """Keeps one connection's temp objects in step with the current scope."""

    def __init__(self, connection):
        self.connection = connection
        self.tables: dict[str, registry.ScopedTable] = {}
        self.installed = False

    def apply(self) -> None:
        """Match the temp objects and the state row to the current scope."""
        if current_scope().unscoped:
            if self.installed:
                self.uninstall()
        elif not self.installed:
            self.install()
        else:
            self.write_state()

    # --- Temp objects -----------------------------------------------------------------

    def install(self) -> None:
        """Create the state row, and a view and triggers for every scoped table."""
        cursor = self.connection.connection.cursor()
        try:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {STATE_TABLE} "
                "(owner_email TEXT, org_id TEXT)"
            )
            cursor.execute(f"DELETE FROM {STATE_TABLE}")
            cursor.execute(f"INSERT INTO {STATE_TABLE} VALUES (NULL, NULL)")
            self.tables = {t.name: t for t in registry.scoped_tables(self.connection)}
            for table in self.tables.values():
                for statement in _temp_objects_sql(table):
                    cursor.execute(statement)
        finally:
            cursor.close()
        self.installed = True
        self.write_state()

    def uninstall(self) -> None:
        """Drop the views and triggers, so the connection can change the schema."""
        cursor = self.connection.connection.cursor()
        try:
            for table in self.tables.values():
                name = table.name
                cursor.execute(f"DROP VIEW IF EXISTS temp.{_quote(name)}")
                for event in ("insert", "update", "delete"):
                    trigger = _quote(f"scoping_{name}_{event}")
                    cursor.execute(f"DROP TRIGGER IF EXISTS temp.{trigger}")
        finally:
            cursor.close()
        self.tables = {}
        self.installed = False

    def write_state(self) -> None:
        """Put the current scope's values into the state row (bound, never in SQL)."""
        scope = current_scope()
        org_id = scope.org_id.hex if scope.org_id is not None else None
        cursor = self.connection.connection.cursor()
        try:
            cursor.execute(
                f"UPDATE {STATE_TABLE} SET owner_email = ?, org_id = ?",
                (scope.owner_email, org_id),
            )
        finally:
            cursor.close()

    # --- Every statement --------------------------------------------------------------

    def rewrite(self, sql: str, params):
        """Redirect a write on a scoped table to `main."<table>"`; refuse `main.` reads.

        An INSERT that leaves out a scope column gets it, with the scope's value bound.
        """
        if not self.installed:
            return sql, params
        for match in _QUALIFIED.finditer(sql):
            if _unquote(match[1]) in self.tables:
                raise ScopeViolation(
                    f"{_unquote(match[1])} is scoped: read and write it without "
                    "a schema name."
                )
        match = _WRITE_TARGET.match(sql)
        if match is None:
            return sql, params
        name = _unquote(match["table"])
        table = self.tables.get(name)
        if table is None:
            return sql, params
        start, end = match.span("table")
        sql = f"{sql[:start]}main.{_quote(name)}{sql[end:]}"
        if match["verb"].upper().startswith(("INSERT", "REPLACE")):
            sql, params = _fill_scope_columns(sql, params, table)
        return sql, params


def _temp_objects_sql(table: registry.ScopedTable) -> list[str]:
    name = _quote(table.name)
    conditions = []
    if table.has_owner:
        conditions.append(("owner_email", f"(SELECT owner_email FROM {STATE_TABLE})"))
    if table.has_org:
        conditions.append(("org_id", f"(SELECT org_id FROM {STATE_TABLE})"))

    def in_scope(row: str) -> str:
        return " AND ".join(f"{row}{column} IS {value}" for column, value in conditions)

    # IS (not =) so a NULL scope value matches nothing but a NULL column, and the
    # view's own filter also demands a non-NULL scope.
    view_filter = " AND ".join(f"{column} = {value}" for column, value in conditions)
    outside_new = f"NOT ({in_scope('NEW.')}) OR " + " OR ".join(
        f"NEW.{column} IS NULL" for column, _ in conditions
    )
    outside_old = f"NOT ({in_scope('OLD.')})"
    return [
        f"CREATE TEMP VIEW IF NOT EXISTS {name} AS "
        f"SELECT * FROM main.{name} WHERE {view_filter}",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {_quote(f'scoping_{table.name}_insert')} "
        f"BEFORE INSERT ON main.{name} BEGIN "
        f"SELECT RAISE(ABORT, 'row outside the scope') WHERE {outside_new}; END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {_quote(f'scoping_{table.name}_update')} "
        f"BEFORE UPDATE ON main.{name} BEGIN "
        f"SELECT RAISE(IGNORE) WHERE {outside_old}; "
        f"SELECT RAISE(ABORT, 'row outside the scope') WHERE {outside_new}; END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {_quote(f'scoping_{table.name}_delete')} "
        f"BEFORE DELETE ON main.{name} BEGIN "
        f"SELECT RAISE(IGNORE) WHERE {outside_old}; END",
    ]


_PLACEHOLDER = re.compile(r"(?<!%)%s")


def _fill_scope_columns(sql: str, params, table: registry.ScopedTable):
    """Add the scope columns an INSERT leaves out, with the scope's values bound."""
    flags = {"owner_email": table.has_owner, "org_id": table.has_org}
    wanted = [column for column, present in flags.items() if present]
    try:
        statement = sqlglot.parse_one(_PLACEHOLDER.sub("?", sql), read="sqlite")
    except sqlglot.errors.ParseError:
        return sql, params  # the database will parse it; the triggers still check
    schema = statement.this if isinstance(statement, exp.Insert) else None
    values = statement.expression if isinstance(statement, exp.Insert) else None
    if not isinstance(schema, exp.Schema) or not isinstance(values, exp.Values):
        return sql, params  # no column list or not VALUES: the triggers check
    present = {column.name.lower() for column in schema.expressions}
    missing = [column for column in wanted if column not in present]
    if not missing:
        return sql, params
    scope = current_scope()
    scope_values = {
        "owner_email": scope.owner_email,
        "org_id": scope.org_id.hex if scope.org_id is not None else None,
    }
    for column in missing:
        schema.append("expressions", exp.to_identifier(column, quoted=True))
    remaining, new_params = list(params or []), []
    for row in values.expressions:
        used = len(list(row.find_all(exp.Placeholder)))
        new_params += remaining[:used]
        remaining = remaining[used:]
        for column in missing:
            row.append("expressions", exp.Var(this="%s"))
            new_params.append(scope_values[column])
    statement = statement.transform(
        lambda node: exp.Var(this="%s") if isinstance(node, exp.Placeholder) else node
    )
    return statement.sql(dialect="sqlite"), new_params
