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

Reads that reach around the views (`main.notes_note`, however it is spelled) are
refused by an authorizer, which sees the table SQLite resolved rather than the text:
only the scope's views and triggers read a scoped table directly, and a write this
engine redirected reads its own target. Recursive triggers are on, so the row that
`INSERT OR REPLACE` deletes goes through the delete trigger like any other.
"""

import re
import sqlite3

import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

from scoping import registry
from scoping.context import current_scope
from scoping.errors import ScopeViolation

STATE_TABLE = "scoping_state"
# Every view, trigger and table this app makes starts so; the authorizers trust reads
# made from inside them (they compare with the state row, never hand rows out).
OBJECT_PREFIX = "scoping_"

# The statement kinds whose target is redirected, and the target table's name.
_WRITE_TARGET = re.compile(
    r"""^\s*(?P<verb>INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO
        |UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+
        (?P<table>"[^"]+"|`[^`]+`|\[[^\]]+\]|\w+)""",
    re.IGNORECASE | re.VERBOSE,
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
        self.schema_version = -1
        # Whether the statement being prepared is a write (see `authorize`).
        self.writing = False
        # The scoped table the authorizer last refused to read directly.
        self.denied: str | None = None

    def apply(self) -> None:
        """Match the temp objects and the state row to the current scope.

        The objects stay for the connection's life; a schema change made meanwhile
        (a migration by another process, say, adding a scoped table) is seen by its
        schema version, and they are built again.
        """
        if current_scope().unscoped:
            if self.installed:
                self.uninstall()
        elif not self.installed:
            self.install()
        elif self._schema_version() != self.schema_version:
            self.uninstall()
            self.install()
        else:
            self.write_state()

    # --- Temp objects -----------------------------------------------------------------

    def install(self) -> None:
        """Create the state row, and a view and triggers for every scoped table."""
        raw = self.connection.connection
        cursor = raw.cursor()
        try:
            cursor.execute("PRAGMA recursive_triggers = ON")
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
        self.schema_version = self._schema_version()
        self.restore_authorizer()
        self.write_state()

    def _schema_version(self) -> int:
        return self.connection.connection.execute(
            "PRAGMA main.schema_version"
        ).fetchone()[0]

    def uninstall(self) -> None:
        """Drop the views and triggers, so the connection can change the schema."""
        raw = self.connection.connection
        raw.set_authorizer(None)
        cursor = raw.cursor()
        try:
            for table in self.tables.values():
                name = table.name
                cursor.execute(f"DROP VIEW IF EXISTS temp.{_quote(name)}")
                for event in ("insert", "update", "delete"):
                    trigger = _quote(f"{OBJECT_PREFIX}{name}_{event}")
                    cursor.execute(f"DROP TRIGGER IF EXISTS temp.{trigger}")
        finally:
            cursor.close()
        self.tables = {}
        self.installed = False

    def write_state(self) -> None:
        """Put the current scope's values into the state row (bound, never in SQL)."""
        cursor = self.connection.connection.cursor()
        try:
            cursor.execute(
                f"UPDATE {STATE_TABLE} SET owner_email = ?, org_id = ?",
                tuple(scope_values().values()),
            )
        finally:
            cursor.close()

    # --- Every statement --------------------------------------------------------------

    def authorize(self, action, table, column, database, source) -> int:
        """The connection's authorizer while scoped: a read statement reads a scoped
        table only through its view.

        SQLite calls it while preparing each statement, with the table it resolved
        (`main`, however the SQL spelled it) and the view or trigger reading it.
        Writes read their target directly, and so do SQLite's foreign key lookups,
        so writes are checked by their text instead (`_refuse_qualified`).
        """
        if (
            action == sqlite3.SQLITE_READ
            and database == "main"
            and source is None
            and table in self.tables
            and not self.writing
        ):
            self.denied = table
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    def restore_authorizer(self) -> None:
        """Put this engine's authorizer back (after agent SQL used its own)."""
        self.connection.connection.set_authorizer(
            self.authorize if self.installed else None
        )

    def rewrite(self, sql: str, params):
        """Redirect a write on a scoped table to `main."<table>"`.

        Returns the SQL, its parameters, and whether it is a write. An INSERT that
        leaves out a scope column gets it, with the scope's value bound.
        """
        if not self.installed:
            return sql, params, False
        match = _WRITE_TARGET.match(sql)
        if match is None:
            return sql, params, False
        if "main" in sql.lower():
            self._refuse_qualified(sql)
        name = _unquote(match["table"])
        table = self.tables.get(name)
        if table is None:
            return sql, params, True
        start, end = match.span("table")
        rest = sql[end:]
        sql = f"{sql[:start]}main.{_quote(name)}{rest}"
        inserting = match["verb"].upper().startswith(("INSERT", "REPLACE"))
        if inserting and not _names_scope_columns(rest, table):
            sql, params = _fill_scope_columns(sql, params, table)
        return sql, params, True

    def _refuse_qualified(self, sql: str) -> None:
        """A write may not name a scoped table as `main.<table>` anywhere.

        The authorizer lets writes read scoped tables directly (their own target,
        and the key lookups SQLite makes for foreign keys, which it reports as
        plain reads), so writes are held to their text instead.
        """
        tokens = [
            token
            for token in sqlglot.tokenize(sql, read="sqlite")
            if token.token_type != TokenType.SEMICOLON
        ]
        for before, dot, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
            # Token texts come unquoted: "main", [main], 'main' and main alike.
            if (
                dot.token_type == TokenType.DOT
                and before.text.lower() == "main"
                and after.text.lower() in self.tables
            ):
                raise ScopeViolation(
                    f"{after.text} is scoped: write it without a schema name."
                )

    def take_denial(self) -> str | None:
        """The table the last refused statement tried to read around its view."""
        denied, self.denied = self.denied, None
        return denied


def scope_values() -> dict[str, str | None]:
    """The values the scope columns of a row written now must hold, as stored."""
    scope = current_scope()
    return {
        "owner_email": scope.owner_email,
        "org_id": scope.org_id.hex if scope.org_id is not None else None,
    }


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
    triggers = {
        event: _quote(f"{OBJECT_PREFIX}{table.name}_{event}")
        for event in ("insert", "update", "delete")
    }
    return [
        f"CREATE TEMP VIEW IF NOT EXISTS {name} AS "
        f"SELECT * FROM main.{name} WHERE {view_filter}",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {triggers['insert']} "
        f"BEFORE INSERT ON main.{name} BEGIN "
        f"SELECT RAISE(ABORT, 'row outside the scope') WHERE {outside_new}; END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {triggers['update']} "
        f"BEFORE UPDATE ON main.{name} BEGIN "
        f"SELECT RAISE(IGNORE) WHERE {outside_old}; "
        f"SELECT RAISE(ABORT, 'row outside the scope') WHERE {outside_new}; END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {triggers['delete']} "
        f"BEFORE DELETE ON main.{name} BEGIN "
        f"SELECT RAISE(IGNORE) WHERE {outside_old}; END",
    ]


_PLACEHOLDER = re.compile(r"(?<!%)%s")


_COLUMN_LIST = re.compile(r"\s*\(([^()]*)\)")


def _names_scope_columns(after_table: str, table: registry.ScopedTable) -> bool:
    """Whether an INSERT's column list (the text after its table) already names the
    table's scope columns: the ORM's always do, and then there is nothing to parse."""
    match = _COLUMN_LIST.match(after_table)
    if match is None:
        return False
    named = {part.strip().strip('"`[]').lower() for part in match[1].split(",")}
    wanted = {
        column
        for column, present in (
            ("owner_email", table.has_owner),
            ("org_id", table.has_org),
        )
        if present
    }
    return wanted <= named


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
    values_now = scope_values()
    for column in missing:
        schema.append("expressions", exp.to_identifier(column, quoted=True))
    remaining, new_params = list(params or []), []
    for row in values.expressions:
        used = len(list(row.find_all(exp.Placeholder)))
        new_params += remaining[:used]
        remaining = remaining[used:]
        for column in missing:
            row.append("expressions", exp.Var(this="%s"))
            new_params.append(values_now[column])
    statement = statement.transform(
        lambda node: exp.Var(this="%s") if isinstance(node, exp.Placeholder) else node
    )
    return statement.sql(dialect="sqlite"), new_params


def same_org_sql(reference: registry.OrgReference) -> list[str]:
    """Triggers that keep a reference between org-scoped tables inside one org.

    Permanent triggers in `main`: their bodies read `main` tables (never the temp
    scope views), so the check sees every row, and a row cannot point at another
    org's row, nor learn whether it exists (missing and elsewhere read alike).
    """
    table, column = _quote(reference.table), _quote(reference.column)
    target, key = _quote(reference.target), _quote(reference.target_column)
    name = f"{OBJECT_PREFIX}same_org_{reference.table}_{reference.column}"
    message = (
        f"{reference.table}.{reference.column} must reference a row of the same "
        "organization"
    )
    outside = (
        f"NEW.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {target} "
        f"WHERE {key} = NEW.{column} AND org_id IS NEW.org_id)"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {_quote(name + '_insert')} "
        f"BEFORE INSERT ON {table} WHEN {outside} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {_quote(name + '_update')} "
        f"BEFORE UPDATE OF {column}, org_id ON {table} WHEN {outside} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {_quote(name + '_target')} "
        f"BEFORE UPDATE OF org_id ON {target} "
        f"WHEN NEW.org_id IS NOT OLD.org_id AND EXISTS (SELECT 1 FROM {table} "
        f"WHERE {column} = OLD.{key}) "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
    ]


def install_same_org_references(connection) -> list[registry.OrgReference]:
    """Keep every reference between org-scoped tables inside one org."""
    references = registry.org_references(connection)
    with connection.cursor() as cursor:
        for reference in references:
            for statement in same_org_sql(reference):
                cursor.execute(statement)
    return references
