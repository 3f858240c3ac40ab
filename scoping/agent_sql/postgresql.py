"""Agent SQL on PostgreSQL: one statement, as the agent role, in a savepoint.

Entering sets the agent's own limits (statement_timeout, work_mem, temp_file_limit;
read-only for queries) and then the role, in one statement. The agent's statement
goes through the extended protocol (a server-side binding cursor), which refuses a
second statement whatever the parser thought. A query is wrapped so the database
counts the bytes of each row as text and sends no row past the byte cap, and no more
rows than the row cap: the web process never holds more than the caps.

A query's savepoint is rolled back, which undoes its settings. A write's is released,
so leaving resets the role, the limits and the scope itself (in case the statement
changed a scope setting with SET, which only a missing parser would let through).
"""

import logging

import psycopg
from django.db import connection, transaction
from sqlglot import exp

from scoping import roles
from scoping.agent_sql.checks import Refused
from scoping.agent_sql.results import Collector, QueryResult
from scoping.app_settings import app_settings
from scoping.engines import postgresql as engine

logger = logging.getLogger(__name__)

LIMITS = ("statement_timeout", "work_mem", "temp_file_limit")


def render(statement: exp.Expression) -> str:
    """The statement for psycopg: `%s` placeholders, a literal % written `%%`."""

    def for_psycopg(node):
        if isinstance(node, exp.Placeholder):
            return exp.Var(this="%s")
        if isinstance(node, exp.Literal) and node.is_string:
            return exp.Literal.string(node.this.replace("%", "%%"))
        return node

    return statement.transform(for_psycopg).sql(dialect="postgres", comments=False)


def run_query(statement: exp.Expression, params: list, *, tables) -> QueryResult:
    """Run a checked SELECT as the agent role, read-only, capped by the database."""
    return query(render(statement), params)


def run_exec(statement: exp.Expression, params: list, *, tables) -> int:
    """Run a checked INSERT, UPDATE or DELETE as the agent role; the row count."""
    return execute(render(statement), params)


def query(sql: str, params: list) -> QueryResult:
    max_rows = app_settings.AGENT_SQL_MAX_ROWS
    max_bytes = app_settings.AGENT_SQL_MAX_BYTES
    with _as_agent(read_only=True) as cursor:
        # The columns first (LIMIT 0 plans and stops), so the guard can name them.
        cursor.execute(
            f"SELECT * FROM ({sql}) AS agent_query LIMIT %s",
            [*params, 0],
            prepare=False,
        )
        columns = [column.name for column in cursor.description or []]
        if not columns:
            raise Refused("Select at least one column.")
        cursor.execute(_guard(sql, len(columns)), [max_bytes, *params, max_rows + 1])
        collector = Collector(max_rows=max_rows, max_bytes=max_bytes)
        for *values, fits in cursor:
            if not fits or not collector.add(values):
                collector.truncated = True
                break
    return QueryResult(columns, collector.rows, collector.truncated)


def execute(sql: str, params: list) -> int:
    with _as_agent(read_only=False) as cursor:
        # With parameters the query goes by the extended protocol anyway; without,
        # binary results ask for it (they are a row count's only).
        cursor.execute(sql, params, prepare=False, binary=not params)
        return max(cursor.rowcount, 0)


def _guard(sql: str, width: int) -> str:
    """The query, sending each row only while the running total of row bytes (as
    text, counted in the database) is within the cap; later rows come back empty."""
    names = [f"c{i}" for i in range(width)]
    values = ", ".join(f"CASE WHEN agent_fits THEN {name} END" for name in names)
    return (
        f"SELECT {values}, agent_fits FROM ("
        "SELECT agent_query.*, sum(octet_length(agent_query::text)) "
        "OVER (ROWS UNBOUNDED PRECEDING) <= %s AS agent_fits "
        f"FROM ({sql}) AS agent_query({', '.join(names)}) LIMIT %s"
        ") AS agent_rows"
    )


class _as_agent:
    """A savepoint in which the connection is the agent role, with its limits."""

    def __init__(self, *, read_only: bool):
        self.read_only = read_only

    def __enter__(self):
        connection.ensure_connection()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        try:
            self.saved = self._enter()
        except BaseException as error:
            self.atomic.__exit__(type(error), error, error.__traceback__)
            raise
        # Server-side binding: the extended protocol, one statement only.
        self.cursor = psycopg.Cursor(connection.connection)
        return self.cursor

    def _enter(self) -> list[str]:
        settings = [
            ("statement_timeout", str(app_settings.AGENT_SQL_TIMEOUT_MS)),
            ("work_mem", app_settings.AGENT_SQL_WORK_MEM),
            ("temp_file_limit", app_settings.AGENT_SQL_TEMP_FILE_LIMIT),
        ]
        if self.read_only:
            settings.append(("transaction_read_only", "on"))
        # The role last: everything before it runs as the app.
        settings.append(("role", roles.agent_role(connection)))
        saved = ", ".join(f"current_setting('{name}')" for name in LIMITS)
        changes = ", ".join("pg_catalog.set_config(%s, %s, true)" for _ in settings)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {saved}, {changes}",
                    [value for pair in settings for value in pair],
                )
                return list(cursor.fetchone()[: len(LIMITS)])
        except Exception as error:
            logger.error("scoping: agent SQL is not set up: %s", _first_line(error))
            raise Refused(
                "Agent SQL is not set up on this database; an administrator runs "
                "`manage.py db_setup_roles`."
            ) from None

    def __exit__(self, exc_type, exc, tb):
        try:
            self.cursor.close()
            if exc_type is None:
                if self.read_only:
                    transaction.set_rollback(True)
                else:
                    self._leave()
        finally:
            self.atomic.__exit__(exc_type, exc, tb)
        if exc_type is not None and issubclass(exc_type, psycopg.Error):
            raise Refused(
                f"The database refused the statement: {_first_line(exc)}"
            ) from None
        return False

    def _leave(self) -> None:
        """Back to the app's role, limits and scope for the rest of the transaction."""
        restore = ", ".join("pg_catalog.set_config(%s, %s, true)" for _ in LIMITS)
        scope_settings = (engine.OWNER_SETTING, engine.ORG_SETTING)
        forget = ", ".join(
            "pg_catalog.set_config(%s, '', false)" for _ in scope_settings
        )
        with connection.cursor() as cursor:
            # Any role may go back to the session's; after it, the app runs the rest.
            cursor.execute(
                f"SET LOCAL ROLE NONE; SELECT {restore}, {forget}",
                [
                    *(v for pair in zip(LIMITS, self.saved, strict=True) for v in pair),
                    *scope_settings,
                ],
            )
        engine.apply_scope(connection)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else "error"
