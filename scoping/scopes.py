"""`scope()` and `unscoped()`: the only ways code enters or leaves a scope.

    with scope(owner_email=user.email, org_id=org.id):
        Note.objects.all()          # only this user's notes in this org

Inside a scope every statement on a scoped table, ORM or raw SQL, sees and changes only
the scope's rows; outside any scope it sees none. A scope needs a transaction (the
PostgreSQL settings last for one), so entering one opens a transaction if none is open.
"""

import logging
import uuid
from contextlib import contextmanager, nullcontext

from django.db import DatabaseError, connections, transaction

from scoping import context
from scoping.context import Scope
from scoping.engines import postgresql
from scoping.engines.sqlite import SQLiteEngine
from scoping.errors import ScopeViolation

logger = logging.getLogger(__name__)


@contextmanager
def scope(*, owner_email: str | None, org_id=None, using: str = "default"):
    """Run the block as `owner_email` in org `org_id` (either may be None, not both)."""
    if not owner_email and org_id is None:
        raise ValueError("A scope needs an owner email, an org id, or both.")
    new = Scope(
        owner_email=owner_email.strip().lower() if owner_email else None,
        org_id=uuid.UUID(str(org_id)) if org_id is not None else None,
    )
    with _entered(new, using):
        yield new


@contextmanager
def unscoped(
    *,
    reason: str,
    audit: bool = True,
    schema_changes: bool = False,
    using: str = "default",
):
    """Run system work that sees every row; recorded in the audit log.

    For the webhook sweeper, data fixes, deleting an org; the audit row names the
    caller of the current Context (`config.context`). `audit=False` is for a
    service that writes its own row for the change (one row per change: deleting
    an org, moving an owner's rows, exporting or deleting an account), and for
    staff reading Django admin, whose changes the admin's own log records: a row
    per page view would bury the rest. `schema_changes=True` is for `migrate` and
    `flush`: they manage their own transactions and may run before the audit table
    exists, so no transaction is opened and the reason is logged instead.
    """
    if not reason:
        raise ValueError("Say why the block runs unscoped.")
    everything = Scope(owner_email=None, org_id=None, unscoped=True)
    with (
        _one_transaction_if_pooled(using) if schema_changes else nullcontext(),
        _entered(everything, using, in_transaction=not schema_changes),
    ):
        if schema_changes:
            logger.info("unscoped: %s", reason)
        elif audit:
            from accounts.services import audit_record

            audit_record(action="scoping.unscoped", metadata={"reason": reason})
        yield


def _one_transaction_if_pooled(using: str):
    """Behind a transaction-pooling pgbouncer, the whole of `migrate` or `flush` in
    one transaction: their scope (the owner's role) is session-level, and a session
    there is one transaction long — the role set on one server connection would stay
    on it, for other clients' transactions, while the next statement ran elsewhere.
    (A migration that cannot run in a transaction, such as CREATE INDEX
    CONCURRENTLY, then fails: run `migrate` against PostgreSQL directly.)"""
    from django.conf import settings

    connection = connections[using]
    if connection.vendor == "postgresql" and settings.DATABASE_POOLING == "transaction":
        return transaction.atomic(using=using)
    return nullcontext()


@contextmanager
def _entered(new: Scope, using: str, *, in_transaction: bool = True):
    connection = connections[using]
    opens_transaction = in_transaction and not connection.in_atomic_block
    block = (
        transaction.atomic(using=using, savepoint=False)
        if in_transaction
        else nullcontext()
    )
    with block:
        token = context._set(new)
        try:
            _apply(connection, local=in_transaction)
            yield
        finally:
            context._reset(token)
            # Back to the enclosing scope (or none) for the rest of the transaction.
            # PostgreSQL's transaction-local settings end with the transaction this
            # scope opened, so only a nested scope, or SQLite's state row, needs it.
            ends_with_commit = opens_transaction and connection.vendor == "postgresql"
            if (
                not connection.needs_rollback
                and not ends_with_commit
                and not _aborted(connection)
            ):
                _apply(connection, local=in_transaction)


def _aborted(connection) -> bool:
    """Whether a failed statement has aborted the PostgreSQL transaction: nothing
    runs until it (or the savepoint) is rolled back, and that rollback undoes the
    block's settings too, so re-applying the enclosing scope is neither possible
    nor needed — and trying would hide the failure behind "transaction aborted"."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return False
    from psycopg.pq import TransactionStatus

    return connection.connection.info.transaction_status == TransactionStatus.INERROR


def _apply(connection, *, local: bool) -> None:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        postgresql.apply_scope(connection, local=local)
    elif connection.vendor == "sqlite":
        sqlite_engine(connection).apply()


def sqlite_engine(connection) -> SQLiteEngine:
    engine = getattr(connection, "_scoping_engine", None)
    if engine is None:
        engine = connection._scoping_engine = SQLiteEngine(connection)
        connection.execute_wrappers.append(_rewriting_wrapper(engine))
    return engine


def _rewriting_wrapper(engine: SQLiteEngine):
    def execute(run, sql, params, many, context_):
        if many:
            rows = list(params)
            rewritten = [engine.rewrite(sql, row) for row in rows]
            new_sql, _, writing = rewritten[0] if rewritten else (sql, None, False)
            params = [row for _, row, _ in rewritten]
        else:
            new_sql, params, writing = engine.rewrite(sql, params)
        engine.writing, engine.denied = writing, None
        try:
            return run(new_sql, params, many, context_)
        except DatabaseError as error:
            denied = engine.take_denial()
            if denied is None:
                raise
            raise ScopeViolation(
                f"{denied} is scoped: read it without a schema name, so its view "
                "applies."
            ) from error
        finally:
            engine.writing = False

    return execute


def on_connection_created(sender, connection, **kwargs):
    """A new SQLite connection gets its views and triggers (unless unscoped)."""
    if connection.vendor != "sqlite":
        return
    engine = sqlite_engine(connection)
    if context.current_scope().unscoped:
        engine.installed = False
    else:
        engine.install()
