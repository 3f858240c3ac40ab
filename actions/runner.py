"""Running an action: the same steps for every caller.

1. authenticated (unless the action is public) and allowed in the org (role);
2. within the action's rate for this caller (`actions.throttling`), whichever way it
   came in: HTTP, A2A, the CLI, a task;
3. the input validated by the action's serializer, fields it does not have refused
   (`validate`) — nothing runs on bad input;
4. the action's own `authorize`;
5. `run`, inside the caller's scope and a transaction (a savepoint when the caller
   opened one), so a failure writes nothing;
6. the output shaped by the output serializer;
7. an audit event for every state-changing action, failed ones included, with the
   arguments' secret-looking values redacted.
"""

import logging
from collections.abc import Mapping
from contextlib import nullcontext

from django.db import connection, transaction
from rest_framework.serializers import Serializer

from accounts.services import audit_record, client_ip
from actions import throttling
from actions.registry import Action, Context
from config import errors
from scoping.context import current_scope
from scoping.scopes import scope

logger = logging.getLogger(__name__)


def execute(
    action: Action, ctx: Context, raw_input, *, admitted: bool = False
) -> object:
    """Run `action` for `ctx` with `raw_input`; return its JSON-able result.

    `admitted=True` is for work whose entrance already called `admit` (an A2A task,
    counted when it was sent, run later by a worker). Raises
    config.errors.ApplicationError subclasses for every expected failure.
    """
    if not admitted:
        admit(action, ctx)
    if connection.in_atomic_block:
        return _run_in_callers_transaction(action, ctx, raw_input)
    # The runner's own transaction: a failure rolls all of it back, and the record
    # of the attempt is written after, on its own (no savepoint needed).
    try:
        with _scope_of(ctx):
            data, result, output = _validate_and_run(action, ctx, raw_input)
            if not action.read_only:
                _audit(action, ctx, data, outcome="ok", result=result)
    except errors.ApplicationError as error:
        _audit_failure(action, ctx, getattr(error, "arguments", raw_input), error)
        raise
    return output


def _run_in_callers_transaction(action: Action, ctx: Context, raw_input):
    """In a transaction the caller opened (a page, a task): the run goes in a
    savepoint, so a failure undoes the run's writes and not the caller's."""
    failure = None
    with _scope_of(ctx):
        try:
            with transaction.atomic():
                data, result, output = _validate_and_run(action, ctx, raw_input)
        except errors.ApplicationError as error:
            # The run's savepoint is rolled back; the record of the attempt stays.
            failure = error
            _audit_failure(action, ctx, getattr(error, "arguments", raw_input), error)
        else:
            if not action.read_only:
                _audit(action, ctx, data, outcome="ok", result=result)
    if failure is not None:
        raise failure
    return output


def admit(action: Action, ctx: Context) -> None:
    """Steps 1 and 2: may `ctx` run `action` at all, and now? Counts the call."""
    if action.requires_auth and ctx.user is None:
        raise errors.NotAuthenticated()
    if not action.allows(ctx):
        if ctx.membership is None:
            raise errors.PermissionDenied("This action needs an organization.")
        raise errors.PermissionDenied(
            f"This action needs the {action.org_role} role in {ctx.org.name}."
        )
    throttling.throttle(action, caller=counted_as(ctx))


def counted_as(ctx: Context) -> str:
    """Whose rate a call of `ctx` counts against: the user's, else the client IP's."""
    if ctx.user is not None:
        return f"user:{ctx.user.pk}"
    address = client_ip(ctx.request) if ctx.request is not None else None
    return f"ip:{address or 'unknown'}"


def validate(action: Action, ctx: Context, raw_input) -> dict:
    """Step 3: `raw_input` as the action's validated data, or InvalidInput naming
    every field at fault: those the serializer refuses and those it does not have.

    Unknown fields are refused here, for every entrance, as the published schemas
    say (`additionalProperties: false`): an agent that invents an argument learns
    at once instead of having it silently ignored.
    """
    serializer = action.input(data=raw_input, context={"ctx": ctx})
    valid = serializer.is_valid()
    fields = errors.field_errors(_unknown_fields(serializer, raw_input))
    if not valid:
        for name, messages in errors.field_errors(serializer.errors).items():
            fields[name] = fields.get(name, []) + messages
    if fields:
        raise errors.InvalidInput(fields=fields)
    return serializer.validated_data


def _unknown_fields(serializer, raw_input) -> dict:
    """{name: ["Unknown field."]} for each key of `raw_input` that `serializer` has
    no writable field for, and {name: {...}} for those of its nested objects."""
    if not isinstance(raw_input, Mapping):
        return {}  # not an object at all: the serializer says so
    writable = {
        name: field for name, field in serializer.fields.items() if not field.read_only
    }
    unknown = {str(key): ["Unknown field."] for key in raw_input if key not in writable}
    for name, field in writable.items():
        inner = (
            _unknown_fields(field, raw_input[name])
            if isinstance(field, Serializer) and name in raw_input
            else None
        )
        if inner:
            unknown[name] = inner
    return unknown


def _validate_and_run(action: Action, ctx: Context, raw_input):
    data = validate(action, ctx, raw_input)
    try:
        action.authorize(ctx, data)
        result = action.run(ctx, data)
        return data, result, _shape(action, result)
    except errors.ApplicationError as error:
        error.arguments = data
        raise


def _scope_of(ctx: Context):
    """The caller's scope (a transaction); reused when the request entered it."""
    if ctx.user is None:
        return transaction.atomic()  # public action: no scope, scoped tables empty
    org_id = ctx.org.pk if ctx.org is not None else None
    current = current_scope()
    if current.owner_email == ctx.user.email and current.org_id == org_id:
        return nullcontext()
    return scope(owner_email=ctx.user.email, org_id=org_id)


def _shape(action: Action, result):
    if action.output is None:
        return result
    many = isinstance(result, list | tuple) or hasattr(result, "model")
    return action.output(result, many=many).data


def _audit(action: Action, ctx: Context, data, *, outcome: str, result=None):
    target = result if hasattr(result, "_meta") and hasattr(result, "pk") else None
    audit_record(
        action=f"action.{action.name}",
        actor=ctx.user,
        org_id=ctx.org.pk if ctx.org is not None else None,
        target=target,
        request=ctx.request,
        metadata={
            "arguments": action.redacted(_jsonable(data)),
            "outcome": outcome,
            "caller": ctx.caller,
        },
    )


def _audit_failure(action: Action, ctx: Context, data, error: errors.ApplicationError):
    if action.read_only or ctx.user is None:
        return
    _audit(action, ctx, data, outcome=error.code)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return value if len(value) <= 500 else value[:500] + "…"
    if value is None or isinstance(value, int | float | bool):
        return value
    return str(value)[:500]
