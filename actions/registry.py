"""The one registry of actions: what exists, how each is declared.

An action is declared once, in an app's `actions.py`:

    @register
    class CreateNote(Action):
        name = "create-note"
        description = "Create a private note in the current organization."
        input = NoteInputSerializer
        output = NoteSerializer
        org_role = Role.MEMBER

        def run(self, ctx, data):
            return services.note_create(**data)

and is then served over HTTP (`/api/actions/create-note/`), listed for agents as a tool
with a JSON Schema, callable from the CLI (`manage.py action create-note …`) and by
other code (`actions.runner.execute`) — always validated, authorized, scoped, audited.
"""

from functools import cached_property
from typing import ClassVar

from django.utils.module_loading import autodiscover_modules
from rest_framework import serializers

from config.context import Context
from config.log import REDACTED, redact_mapping
from orgs.models import Role

__all__ = ["Action", "Context", "NoInput", "register"]


class NoInput(serializers.Serializer):
    """The input of an action that takes none."""


class Action:
    name: ClassVar[str]
    description: ClassVar[str]
    input: ClassVar[type[serializers.Serializer]] = NoInput
    output: ClassVar[type[serializers.Serializer] | None] = None
    # `run` returns a list of `output`: the schemas say an array.
    output_many: ClassVar[bool] = False
    read_only: ClassVar[bool] = False
    # It removes or overwrites data beyond undoing (a delete): MCP hosts are told
    # (`destructiveHint`) and may ask the person first.
    destructive: ClassVar[bool] = False
    requires_auth: ClassVar[bool] = True
    # The least role the caller needs in the current organization, or None.
    org_role: ClassVar[Role | None] = None
    agent_tool: ClassVar[bool] = True
    # Per-user rate, e.g. "30/min"; None takes ACTIONS_DEFAULT_THROTTLE_RATE.
    throttle_rate: ClassVar[str | None] = None
    tags: ClassVar[tuple[str, ...]] = ()
    # Input fields never stored or logged (a secret's value, say); input serializer
    # fields styled as passwords (`style={"input_type": "password"}`) count too.
    sensitive_fields: ClassVar[tuple[str, ...]] = ()

    def authorize(self, ctx: Context, data: dict) -> None:
        """Raise config.errors.PermissionDenied to refuse; runs after validation."""

    def run(self, ctx: Context, data: dict):
        raise NotImplementedError

    @cached_property
    def sensitive(self) -> frozenset[str]:
        """The input fields whose values are never stored: not in audit rows, not in
        A2A tasks, not in logs."""
        marked = {
            name
            for name, field in self.input().fields.items()
            if field.style.get("input_type") == "password"
        }
        return frozenset(self.sensitive_fields) | marked

    def redacted(self, arguments):
        """`arguments` as they may be kept: sensitive fields, and any value the log
        redaction rules take for a secret, replaced."""
        if isinstance(arguments, dict):
            arguments = {
                str(key): REDACTED if key in self.sensitive else value
                for key, value in arguments.items()
            }
        return redact_mapping(arguments)

    @property
    def method(self) -> str:
        """The method a read's or a write's callers use by default."""
        return "GET" if self.read_only else "POST"

    @property
    def http_methods(self) -> tuple[str, ...]:
        """Every method the action answers over HTTP: a read also takes its input as
        a JSON body (POST), so a tool-calling agent needs one convention and SQL
        need not travel in a URL; a write takes POST only."""
        return ("GET", "HEAD", "POST") if self.read_only else ("POST",)

    def allows(self, ctx: Context) -> bool:
        """Whether `ctx` may run this action at all (before looking at the input)."""
        if self.requires_auth and ctx.user is None:
            return False
        if self.org_role is None:
            return True
        if ctx.membership is None:
            return False
        return Role(ctx.membership.role).at_least(self.org_role)


_actions: dict[str, Action] = {}


def register(action_class: type[Action]) -> type[Action]:
    """Add an action to the registry (a class decorator)."""
    action = action_class()
    if action.name in _actions and type(_actions[action.name]) is not action_class:
        raise ValueError(f"Two actions are named {action.name!r}.")
    if action.org_role is not None and action.org_role not in Role.values:
        raise ValueError(f"{action.name}: org_role must be one of {Role.values}.")
    _actions[action.name] = action
    return action_class


def get(name: str) -> Action | None:
    return _actions.get(name)


def all_actions() -> list[Action]:
    return sorted(_actions.values(), key=lambda action: action.name)


def autodiscover() -> None:
    """Import every installed app's `actions.py`, which registers its actions."""
    autodiscover_modules("actions")
