"""Running an action: the same steps for every caller.

1. authenticated (unless the action is public) and allowed in the org (role);
2. within the action's rate for this caller (`actions.throttling`), whichever way it
   came in: HTTP, A2A, the CLI, a task;
3. the input validated by the action's serializer, fields it does not have refused
   (`validate`) — nothing runs on bad input;
4. the action's own `authorize`;
5. `run`, inside the caller's scope and a transaction (a savepoint when the caller
   opened one), so a failure writes nothing;
6. the output shaped by the output serializer.

A change that succeeds is audited by the service that makes it (one row per change);
the runner records what services never see: refusals (the caller's role) and
failures of state-changing actions, with the arguments' secret-looking values
redacted.

`ctx` is the Context its entrance entered (`orgs.context.caller_context`); the
runner refuses any other, so audit rows always name the caller who ran.
"""

import logging
from collections.abc import Mapping
from contextlib import nullcontext
from functools import partial

from django.db import connection, transaction
from rest_framework.serializers import Serializer

from accounts.services import audit_record
from actions import throttling
from actions.registry import Action, Context
from config import errors
from config.context import after_rollback, current_context, in_call_transaction
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
    if ctx is not current_context():
        raise RuntimeError(
            "Run actions inside orgs.context.caller_context, with its Context."
        )
    if not admitted:
        admit(action, ctx)
    if in_call_transaction():
        return _run_in_call_transaction(action, ctx, raw_input)
    if connection.in_atomic_block:
        return _run_in_callers_transaction(action, ctx, raw_input)
    # The runner's own transaction (a public action: no scope, so none yet): a
    # failure rolls all of it back, and the record of the attempt is written after,
    # on its own (no savepoint needed).
    try:
        with _scope_of(ctx):
            output = _validate_and_run(action, ctx, raw_input)
    except errors.ApplicationError as error:
        _audit_failure(action, ctx, getattr(error, "arguments", raw_input), error)
        raise
    return output


def _run_in_call_transaction(action: Action, ctx: Context, raw_input):
    """In the transaction the call's entrance opened for it alone (an API call, the
    CLI): a failure rolls all of it back, and the record of the attempt is written
    once it has (no savepoint: two round trips fewer per write)."""
    try:
        return _validate_and_run(action, ctx, raw_input)
    except errors.ApplicationError as error:
        arguments = getattr(error, "arguments", raw_input)
        after_rollback(partial(_audit_failure, action, ctx, arguments, error))
        raise


def call(
    action: Action, raw_input, *, user, caller: str, org_ref=None, org_id=None
) -> object:
    """Run `action` as `user` from code — the CLI, a task, another app — in the
    Context `orgs.context.caller_context` builds for them (`org_ref`: an org's slug
    or id, as --org names it; `org_id`: an org bound to the call). A failure is
    raised once the call's transaction has ended, so the record of it is kept."""
    from orgs.context import caller_context

    with caller_context(
        user=user,
        caller=caller,
        org_ref=org_ref,
        bound_org_id=org_id,
        one_action=True,
    ) as ctx:
        try:
            return execute(action, ctx, raw_input)
        except errors.ApplicationError as error:
            failure = error
    raise failure


def _run_in_callers_transaction(action: Action, ctx: Context, raw_input):
    """In a transaction the caller opened (its scope's, a page's, a task's): a
    write runs in a savepoint, so a failure undoes the run's writes and not the
    caller's; a read has nothing to undo and needs none."""
    failure = None
    with _scope_of(ctx):
        try:
            with transaction.atomic() if not action.read_only else nullcontext():
                output = _validate_and_run(action, ctx, raw_input)
        except errors.ApplicationError as error:
            # The run's savepoint is rolled back; the record of the attempt stays.
            failure = error
            _audit_failure(action, ctx, getattr(error, "arguments", raw_input), error)
    if failure is not None:
        raise failure
    return output


def admit(action: Action, ctx: Context) -> None:
    """Steps 1 and 2: may `ctx` run `action` at all, and now? Counts the call."""
    if action.requires_auth and ctx.user is None:
        raise errors.NotAuthenticated()
    if not action.allows(ctx):
        if ctx.membership is None:
            refusal = errors.PermissionDenied("This action needs an organization.")
        else:
            refusal = errors.PermissionDenied(
                f"This action needs the {action.org_role} role in {ctx.org.name}."
            )
        record = partial(_audit, action, ctx, {}, outcome=refusal.code)
        if in_call_transaction():
            # Once the call's transaction has ended: it may be one the database
            # keeps from writing (a grant that may only read).
            after_rollback(record)
        else:
            record()
        raise refusal
    throttling.throttle(action, caller=counted_as(ctx))


def counted_as(ctx: Context) -> str:
    """Whose rate a call of `ctx` counts against: the user's, else the client IP's."""
    if ctx.user is not None:
        return f"user:{ctx.user.pk}"
    return f"ip:{ctx.ip or 'unknown'}"


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
        return _shape(action, action.run(ctx, data))
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


def _audit(action: Action, ctx: Context, data, *, outcome: str):
    """The record of a refused or failed call (a success is its service's)."""
    if ctx.user is None:
        return  # anonymous callers are refused before anything is theirs to record
    audit_record(
        action=f"action.{action.name}",
        actor=ctx.user,
        org_id=ctx.org_id,
        metadata={
            "arguments": action.redacted(_jsonable(data)),
            "outcome": outcome,
        },
    )


def _audit_failure(action: Action, ctx: Context, data, error: errors.ApplicationError):
    if not action.read_only:
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
