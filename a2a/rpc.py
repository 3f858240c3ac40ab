"""A2A 1.0 over JSON-RPC 2.0: SendMessage, GetTask, ListTasks, CancelTask.

Objects use the protocol's JSON form (camelCase fields, `TASK_STATE_*` states), so the
official SDKs read them as they are. Each method's params are checked by its reader in
`a2a.params` before the method runs.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from a2a import params as schema
from a2a import services
from a2a.models import A2ATask, TaskState
from a2a.selectors import tasks_for_caller
from actions import registry, runner, throttling
from actions.app_settings import app_settings as actions_settings
from config.context import Context
from config.errors import (
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    Throttled,
)
from config.jsonrpc import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    SERVER_ERROR,
)

SUPPORTED_VERSIONS = ("1.0", "1")

# A2A's error codes (JSON-RPC's own are config.jsonrpc's).
TASK_NOT_FOUND = -32001
TASK_NOT_CANCELABLE = -32002
PUSH_NOT_SUPPORTED = -32003
UNSUPPORTED_OPERATION = -32004
VERSION_NOT_SUPPORTED = -32009
# A2A keeps -32001..-32099 for its own errors (now and to come), which leaves -32000,
# JSON-RPC's implementation-defined server error, for this template's own: a refused
# identity (HTTP 401) and a rate limit (HTTP 429), told apart by the HTTP status and
# by the ErrorInfo reason. A2A defines no code for either.
AUTHENTICATION = SERVER_ERROR
RATE_LIMITED = SERVER_ERROR

# Error `data` as the spec (§9.5) and a2a-sdk have it: a list of google.rpc details.
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
A2A_DOMAIN = "a2a-protocol.org"
# The A2A reason of each code, as a2a-sdk maps them (`a2a.utils.errors`).
A2A_REASONS = {
    TASK_NOT_FOUND: "TASK_NOT_FOUND",
    TASK_NOT_CANCELABLE: "TASK_NOT_CANCELABLE",
    PUSH_NOT_SUPPORTED: "PUSH_NOTIFICATION_NOT_SUPPORTED",
    UNSUPPORTED_OPERATION: "UNSUPPORTED_OPERATION",
    VERSION_NOT_SUPPORTED: "VERSION_NOT_SUPPORTED",
    INVALID_PARAMS: "INVALID_PARAMS",
    INVALID_REQUEST: "INVALID_REQUEST",
    METHOD_NOT_FOUND: "METHOD_NOT_FOUND",
    INTERNAL_ERROR: "INTERNAL_ERROR",
}
REALM = "a2a"


@dataclass
class RpcError(Exception):
    code: int
    message: str
    # google.rpc.ErrorInfo metadata: what a2a-sdk hands its caller as `error.data`.
    metadata: dict | None = None
    # (field, message) pairs: a google.rpc.BadRequest, and `errors` in the metadata.
    violations: list[tuple[str, str]] = field(default_factory=list)
    # This template's own reason (not one of A2A's); None: the A2A reason of `code`.
    reason: str | None = None
    # JSON-RPC answers errors with 200, which is what a2a-sdk's client reads (any
    # other status it raises as a bare HTTP error). Identity 401, rate limits 429.
    status: int = 200
    headers: dict | None = None


def error_body(request_id, error: RpcError) -> dict:
    body = {"code": error.code, "message": error.message, "data": error_data(error)}
    return {"jsonrpc": "2.0", "id": request_id, "error": body}


def error_data(error: RpcError) -> list[dict]:
    """The error's details as a2a-sdk's reference server writes them: an ErrorInfo
    (whose metadata the SDK's client raises as the error's `data`; field errors in its
    `errors` list), then a BadRequest with the field violations."""
    if error.reason:
        reason, domain = error.reason, urlsplit(settings.APP_URL).hostname or "local"
    else:
        reason, domain = A2A_REASONS.get(error.code, "UNKNOWN_ERROR"), A2A_DOMAIN
    metadata = dict(error.metadata or {})
    if error.violations:
        metadata["errors"] = [
            {"field": name, "message": text} for name, text in error.violations
        ]
    details = [
        {"@type": ERROR_INFO, "reason": reason, "domain": domain, "metadata": metadata}
    ]
    if error.violations:
        details.append(
            {
                "@type": BAD_REQUEST,
                "fieldViolations": [
                    {"field": name, "description": text}
                    for name, text in error.violations
                ],
            }
        )
    return details


def result_body(request_id, result) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def invalid_params(violations: list[tuple[str, str]]) -> RpcError:
    named = "; ".join(f"{name} {text}" for name, text in violations[:3])
    more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
    return RpcError(INVALID_PARAMS, f"Invalid params: {named}{more}", None, violations)


def unauthenticated(*, token_refused: bool = False) -> RpcError:
    """401 with an RFC 6750 challenge: `invalid_token` when a token was sent and
    refused, no error code when none was sent."""
    challenge = f'Bearer realm="{REALM}"'
    if token_refused:
        challenge += ', error="invalid_token"'
    return RpcError(
        AUTHENTICATION,
        "Authentication required.",
        reason="UNAUTHENTICATED",
        status=401,
        headers={"WWW-Authenticate": challenge},
    )


def check_version(header: str | None) -> None:
    if header and header.strip() not in SUPPORTED_VERSIONS:
        raise RpcError(VERSION_NOT_SUPPORTED, f"A2A version {header} is not supported.")


def dispatch(method: str, params, ctx: Context):
    if method in _UNSUPPORTED_STREAMING:
        raise RpcError(UNSUPPORTED_OPERATION, "Streaming is not supported.")
    if method in _PUSH_METHODS:
        raise RpcError(PUSH_NOT_SUPPORTED, "Push notifications are not supported.")
    handler = _METHODS.get(method)
    if handler is None:
        raise RpcError(METHOD_NOT_FOUND, f"Method {method!r} not found.")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise invalid_params([("params", "must be an object.")])
    if handler.counted:
        _count(method, ctx)
    elif ctx.user is None:
        # Tasks belong to a person: asking for them with no identity is refused as
        # SendMessage refuses an action that needs one, not answered "not found".
        raise unauthenticated()
    try:
        checked = handler.read(params)
    except schema.InvalidParams as error:
        raise invalid_params(error.violations) from None
    return handler.run(checked, ctx)


# --- Methods --------------------------------------------------------------------------


def send_message(params: schema.SendMessageParams, ctx: Context) -> dict:
    if params.push_notifications:
        raise RpcError(PUSH_NOT_SUPPORTED, "Push notifications are not supported.")
    if params.action is None:
        return {"task": _unsupported_task(params)}
    action = registry.get(params.action)
    if action is None or not action.agent_tool:
        raise invalid_params([(params.action_field, "names no action here.")])
    _admit(action, ctx)
    _validate(action, params, ctx)
    if ctx.user is None:  # a public action, called with no identity: nothing stored
        task = services.task_run_unstored(
            action=action,
            arguments=params.arguments,
            message=params.message,
            context_id=params.context_id,
            ctx=ctx,
        )
        return {"task": task_json(task, history_length=params.history_length)}
    task = services.task_create(
        action=action,
        arguments=params.arguments,
        message=params.message,
        context_id=params.context_id,
        issuer=ctx.issuer,
    )
    # A task keeps its arguments redacted, so one with secrets runs now: a worker
    # would only have the redacted copy.
    later = params.return_immediately and ctx.org is not None
    if later and action.redacted(params.arguments) == params.arguments:
        services.task_queue(task=task, ctx=ctx)
    else:
        task = services.task_run(task=task, ctx=ctx, arguments=params.arguments)
    return {"task": task_json(task, history_length=params.history_length)}


def get_task(params: schema.TaskParams, ctx: Context) -> dict:
    return task_json(_own_task(params.id), history_length=params.history_length)


def list_tasks(params: schema.ListTasksParams, ctx: Context) -> dict:
    tasks = tasks_for_caller()
    if params.context_id:
        tasks = tasks.filter(context_id=params.context_id)
    if params.status:
        tasks = tasks.filter(state=params.status)
    if params.updated_after:
        tasks = tasks.filter(updated_at__gte=params.updated_after)
    size, offset = params.page_size, params.offset
    total = tasks.count()
    page = list(tasks[offset : offset + size])
    more = offset + size < total
    return {
        "tasks": [
            task_json(
                task,
                history_length=params.history_length,
                include_artifacts=params.include_artifacts,
            )
            for task in page
        ],
        "nextPageToken": schema.page_token(offset + size) if more else "",
        "pageSize": size,
        "totalSize": total,
    }


def cancel_task(params: schema.TaskParams, ctx: Context) -> dict:
    task = _own_task(params.id)
    if task.is_terminal:
        raise RpcError(TASK_NOT_CANCELABLE, f"The task is {task.get_state_display()}.")
    return task_json(services.task_cancel(task=task))


@dataclass(frozen=True)
class _Method:
    read: Callable[[dict], object]  # the params reader (a2a.params)
    run: Callable[[object, Context], dict]
    # Counted against the caller's rate like an action call, whatever it asks for.
    counted: bool = False


_METHODS = {
    "SendMessage": _Method(schema.send_message, send_message, counted=True),
    "GetTask": _Method(schema.get_task, get_task),
    "ListTasks": _Method(schema.list_tasks, list_tasks),
    "CancelTask": _Method(schema.cancel_task, cancel_task),
}
_UNSUPPORTED_STREAMING = {"SendStreamingMessage", "SubscribeToTask"}
_PUSH_METHODS = {
    "CreateTaskPushNotificationConfig",
    "GetTaskPushNotificationConfig",
    "ListTaskPushNotificationConfigs",
    "DeleteTaskPushNotificationConfig",
}


# --- Helpers --------------------------------------------------------------------------


def _count(method: str, ctx: Context) -> None:
    """One call of `method` against the caller's rate (an action's default rate), in
    the actions' own throttle: a flood of messages that run nothing (text, unknown
    actions, bad params) is limited like a flood of action calls."""
    try:
        throttling.limit(
            f"a2a:{method}",
            caller=runner.counted_as(ctx),
            rate=actions_settings.DEFAULT_THROTTLE_RATE,
            message=f"Too many {method} calls",
        )
    except Throttled as error:
        raise rate_limited(error) from None


def _admit(action, ctx: Context) -> None:
    """The runner's admission (identity, role, rate), as JSON-RPC errors; counted
    here, once, however the task then runs."""
    try:
        runner.admit(action, ctx)
    except NotAuthenticated:
        raise unauthenticated() from None
    except PermissionDenied:
        raise RpcError(INVALID_PARAMS, "You may not run this action here.") from None
    except Throttled as error:
        raise rate_limited(error) from None


def rate_limited(error: Throttled) -> RpcError:
    wait = error.retry_after_seconds
    return RpcError(
        RATE_LIMITED,
        error.message,
        {"retryAfterSeconds": str(wait)},
        reason="RATE_LIMITED",
        status=429,
        headers={"Retry-After": str(wait)},
    )


def _validate(action, params: schema.SendMessageParams, ctx: Context) -> None:
    """The runner's input check, before a task is stored; each field error names its
    argument's path in the request (`message.parts[0].data.arguments.title`)."""
    try:
        runner.validate(action, ctx, params.arguments)
    except InvalidInput as error:
        base = params.action_field.removesuffix(".action") + ".arguments"
        violations = [
            (f"{base}.{name}", text)
            for name, texts in error.fields.items()
            for text in texts
        ]
        raise invalid_params(violations or [(base, error.message)]) from None


def _own_task(task_id: str) -> A2ATask:
    try:
        key = uuid.UUID(task_id)
    except ValueError:
        key = None
    task = tasks_for_caller().filter(pk=key).first() if key else None
    if task is None:
        raise RpcError(TASK_NOT_FOUND, "Task not found.", {"taskId": task_id})
    return task


def task_json(
    task: A2ATask, *, history_length: int | None = None, include_artifacts=True
) -> dict:
    """The task in A2A's JSON form: `history_length` messages of its history (None:
    all, 0: none), its artifacts unless `include_artifacts` is false."""
    status = {"state": task.state, "timestamp": _timestamp(task.updated_at)}
    if task.error:
        status["message"] = _failure_message(task)
    body = {
        "id": str(task.pk),
        "contextId": task.context_id,
        "status": status,
        "metadata": {"action": task.action},
    }
    history = [task.request_message] if task.request_message else []
    if history_length is not None:
        history = history[-history_length:] if history_length else []
    if history:
        body["history"] = history
    if include_artifacts and task.state == TaskState.COMPLETED:
        body["artifacts"] = [
            {
                "artifactId": f"{task.pk}-result",
                "name": "result",
                "parts": [{"data": task.result, "mediaType": "application/json"}],
            }
        ]
    return body


def _failure_message(task: A2ATask) -> dict:
    """Why the task failed: in words, and as the API's error envelope (code, message,
    fields), so an action's field errors reach the caller as they reach HTTP ones."""
    return {
        "messageId": uuid.uuid4().hex,
        "contextId": task.context_id,
        "taskId": str(task.pk),
        "role": "ROLE_AGENT",
        "parts": [
            {"text": task.error.get("message", "Failed.")},
            {"data": {"error": task.error}, "mediaType": "application/json"},
        ],
    }


def _unsupported_task(params: schema.SendMessageParams) -> dict:
    """A failed task, not stored: nothing was run."""
    task = A2ATask(
        id=uuid.uuid4(),
        context_id=params.context_id or str(uuid.uuid4()),
        state=TaskState.FAILED,
        action="",
        error={
            "code": "unsupported_content",
            "message": "Unsupported content: send a data part "
            '{"action": …, "arguments": {…}}.',
        },
        updated_at=timezone.now(),
    )
    return task_json(task, history_length=params.history_length)


def _timestamp(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
