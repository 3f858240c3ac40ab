"""A2A tasks: run an action for the verified caller, inside their scope.

Every function here runs inside the caller's scope, so a task of another caller is
simply not there (TaskNotFound, never "forbidden").
"""

import uuid

from django.db import transaction
from django.utils import timezone

from a2a.models import A2ATask, TaskState
from actions import registry, runner
from actions.registry import Action
from config.context import Context
from config.errors import ApplicationError
from config.log import redact_mapping


def task_create(
    *,
    action: Action,
    arguments: dict,
    message: dict,
    context_id: str | None,
    issuer: str = "",
) -> A2ATask:
    """Record a task for the caller (the scope's user and org), in the message's
    context (a string the params check let through) or a new one.

    Kept as the history GetTask shows and db-query reads, so without secrets: the
    action's sensitive fields, and any value the redaction rules take for one, are
    replaced in the arguments and in the message that carried them.
    """
    return A2ATask.objects.create(
        id=uuid.uuid4(),
        context_id=context_id or str(uuid.uuid4()),
        state=TaskState.SUBMITTED,
        action=action.name,
        arguments=action.redacted(arguments),
        issuer=issuer,
        request_message=_redacted_message(action, message),
    )


def _redacted_message(action: Action, message: dict) -> dict:
    parts = message.get("parts")
    if isinstance(parts, list):
        message = {
            **message,
            "parts": [_redacted_part(action, part) for part in parts],
        }
    return redact_mapping(message)


def _redacted_part(action: Action, part):
    data = part.get("data") if isinstance(part, dict) else None
    if isinstance(data, dict) and isinstance(data.get("arguments"), dict):
        return {
            **part,
            "data": {**data, "arguments": action.redacted(data["arguments"])},
        }
    return part


def task_run(*, task: A2ATask, ctx: Context, arguments: dict | None = None) -> A2ATask:
    """Run the task's action; record the result or the failure on the task.

    `arguments` are the call's own (the task keeps them redacted); a worker running
    a queued task, which has no secrets, uses the task's. The call was counted
    against the caller's rate when it was sent.
    """
    action = registry.get(task.action)
    if task.is_terminal:
        return task
    A2ATask.objects.filter(pk=task.pk).update(state=TaskState.WORKING)
    try:
        result = runner.execute(
            action,
            ctx,
            task.arguments if arguments is None else arguments,
            admitted=True,
        )
    except ApplicationError as error:
        task.state = TaskState.FAILED
        task.error = _failure(error)
    else:
        task.state = TaskState.COMPLETED
        task.result = result
    task.save(update_fields=["state", "result", "error", "updated_at"])
    return task


def task_run_unstored(
    *,
    action: Action,
    arguments: dict,
    message: dict,
    context_id: str | None,
    ctx: Context,
) -> A2ATask:
    """Run a public action for a caller with no identity; the task is not kept."""
    task = A2ATask(
        context_id=context_id or str(uuid.uuid4()),
        state=TaskState.WORKING,
        action=action.name,
        arguments=action.redacted(arguments),
        request_message=_redacted_message(action, message),
        updated_at=timezone.now(),
    )
    try:
        task.result = runner.execute(action, ctx, arguments, admitted=True)
        task.state = TaskState.COMPLETED
    except ApplicationError as error:
        task.state = TaskState.FAILED
        task.error = _failure(error)
    return task


def _failure(error: ApplicationError) -> dict:
    """A failed run as the API's error envelope says it: code, message, fields."""
    return {"code": error.code, "message": error.message, "fields": error.fields}


def task_queue(*, task: A2ATask, ctx: Context) -> None:
    """Run the task in a Celery worker, after this transaction commits."""
    from a2a.tasks import run_a2a_task

    transaction.on_commit(
        lambda: run_a2a_task.delay(
            str(task.pk),
            user_id=ctx.user.pk,
            org_id=str(ctx.org.pk),
            issuer=ctx.issuer,
        ),
        robust=True,
    )


def task_cancel(*, task: A2ATask) -> A2ATask:
    task.state = TaskState.CANCELED
    task.updated_at = timezone.now()
    task.save(update_fields=["state", "updated_at"])
    return task
