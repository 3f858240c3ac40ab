"""The scope the current code runs in: whose rows, in which org, or none at all.

Held in a context variable, so threads and async tasks each have their own. Only
`scoping.scopes` changes it; everything else reads it.
"""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    owner_email: str | None
    org_id: uuid.UUID | None
    # True inside `unscoped()`: system work that sees every row.
    unscoped: bool = False


NO_SCOPE = Scope(owner_email=None, org_id=None)

_current: contextvars.ContextVar[Scope] = contextvars.ContextVar(
    "scoping_scope", default=NO_SCOPE
)


def current_scope() -> Scope:
    return _current.get()


def in_scope() -> bool:
    scope = _current.get()
    return scope.unscoped or scope.owner_email is not None or scope.org_id is not None


def current_owner_email() -> str | None:
    """The scope's owner email: the default of every `owner_email` column."""
    return _current.get().owner_email


def current_org_id() -> uuid.UUID | None:
    """The scope's org id: the default of every `org_id` column."""
    return _current.get().org_id


def _set(scope: Scope) -> contextvars.Token:
    return _current.set(scope)


def _reset(token: contextvars.Token) -> None:
    _current.reset(token)
