"""Extension points other apps use to take part in account export and deletion.

An app registers, in its AppConfig.ready():
- an exporter: `register_exporter("memberships", fn)`; `fn(user)` returns JSON-able data
  for the user's download;
- a deletion hook: `register_deletion_hook(fn)`; `fn(user)` runs inside the deletion's
  transaction before the user row goes. It deletes the app's private rows of the user,
  or raises `config.errors.Conflict` to refuse (say, last owner of an org with members).
"""

from collections.abc import Callable

_exporters: dict[str, Callable] = {}
_deletion_hooks: list[Callable] = []


def register_exporter(name: str, exporter: Callable) -> None:
    _exporters[name] = exporter


def register_deletion_hook(hook: Callable) -> None:
    if hook not in _deletion_hooks:
        _deletion_hooks.append(hook)


def exporters() -> dict[str, Callable]:
    return dict(_exporters)


def deletion_hooks() -> list[Callable]:
    return list(_deletion_hooks)
