"""The Context of a call: who acts, in which org, from where — held for the call.

Built and entered only by `orgs.context.caller_context`, which every entrance uses
(pages, the actions API, A2A, the CLI, Celery tasks, MCP). Held in a context variable
so that audit rows and logs read the request details (caller kind, request id, client
address, user agent) here instead of a `request=` threaded through every service.
Threads and asyncio tasks each see their own.
"""

import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from config.log import request_id_var

# What kind of entrance a call came through, as audit rows record it.
PAGE = "http"  # a person's browser: pages, and the API with their session
AGENT = "agent"  # a script or an agent with a personal or static token
A2A = "a2a"  # another app's agent, with a signed JWT
CLI = "cli"  # `manage.py action`
TASK = "task"  # a Celery task run for a user
MCP = "mcp"  # an MCP client
SYSTEM = "system"  # no caller: migrations, the sweeper, a shell


@dataclass(frozen=True)
class Context:
    """Who calls (`user`, None when anonymous), in which organization (`org`, through
    `membership`), by which entrance (`caller`), and from where."""

    user: Any = None
    org: Any = None
    membership: Any = None
    caller: str = SYSTEM
    ip: str | None = None
    user_agent: str = ""
    # For A2A calls: the calling app, as its verified token names it (`iss`).
    issuer: str = ""

    @property
    def request_id(self) -> str:
        """The id of the request or task being served (one place: the log's)."""
        return request_id_var.get()

    @property
    def org_id(self):
        return self.org.pk if self.org is not None else None


NO_CALLER = Context()

_current: contextvars.ContextVar[Context] = contextvars.ContextVar(
    "caller_context", default=NO_CALLER
)


def current_context() -> Context:
    """The Context of the call being served; NO_CALLER outside any."""
    return _current.get()


@dataclass
class CallTransaction:
    """The transaction a call's entrance opened for the call alone (its scope's),
    at `depth` atomic blocks, and what is to be written once it has rolled back."""

    depth: int
    after_rollback: list[Callable[[], None]] = field(default_factory=list)


_transaction: contextvars.ContextVar[CallTransaction | None] = contextvars.ContextVar(
    "call_transaction", default=None
)


def in_call_transaction() -> bool:
    """Whether the code runs directly in the transaction opened for this call
    alone (not in a savepoint, not in a transaction someone else opened)."""
    own = _transaction.get()
    return own is not None and len(connection.atomic_blocks) == own.depth


def after_rollback(write: Callable[[], None]) -> None:
    """Roll the call's transaction back, and run `write` after it has: the record
    of a failure outlives the failure's undone writes, with no savepoint needed.
    Only where `in_call_transaction()`."""
    from django.db import transaction

    transaction.set_rollback(True)
    _transaction.get().after_rollback.append(write)


def _set(ctx: Context) -> contextvars.Token:
    return _current.set(ctx)


def _reset(token: contextvars.Token) -> None:
    _current.reset(token)
