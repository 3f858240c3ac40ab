"""Transactions in which the database itself refuses every write: the second wall
behind a check in Python that a caller may only read (an MCP grant without
`mcp:write`), holding when that check has a bug."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def writes_refused():
    """For the block, the database refuses writes in the current transaction:
    PostgreSQL's read-only transaction (to its end: it cannot be undone), SQLite's
    `query_only` (a connection's setting: turned back off when the block ends,
    whatever happens)."""
    if not connection.in_atomic_block:
        raise RuntimeError("writes_refused() needs a transaction to hold it.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION READ ONLY")
        else:
            cursor.execute("PRAGMA query_only = ON")
    if connection.vendor == "postgresql":
        yield
        return
    try:
        yield
    finally:
        # On the driver's connection: after a failed write Django refuses queries
        # until the transaction ends, and a connection left query_only would refuse
        # every later request's writes.
        connection.connection.execute("PRAGMA query_only = OFF")
