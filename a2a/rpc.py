"""A2A 1.0 over JSON-RPC 2.0: SendMessage, GetTask, ListTasks, CancelTask.

Objects use the protocol's JSON form (camelCase fields, `TASK_STATE_*` states), so the
official SDKs read them as they are.
"""

import base64
import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from a2a import services
from a2a.models import A2ATask, TaskState
from a2a.selectors import tasks_for_caller
from actions import registry, runner
from actions.registry import Context
from config.errors import (
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    Throttled,
    field_errors,
)

SUPPORTED_VERSIONS = ("1.0", "1")
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 100

# JSON-RPC and A2A error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
TASK_NOT_FOUND = -32001
AUTHENTICATION = -32001  # what this template answers for a refused identity
RATE_LIMITED = -32000  # implementation-defined server error (HTTP 429)
TASK_NOT_CANCELABLE = -32002
PUSH_NOT_SUPPORTED = -32003
UNSUPPORTED_OPERATION = -32004
VERSION_NOT_SUPPORTED = -32009


@dataclass
class RpcError(Exception):
    code: int
    message: str
    data: dict | None = None
    # JSON-RPC answers errors with 200; identity failures are also HTTP 401.
    status: int = 200
    headers: dict | None = None


def error_body(request_id, error: RpcError) -> dict:
    body = {"code": error.code, "message": error.message}
    if error.data:
        body["data"] = error.data
    return {"jsonrpc": "2.0", "id": request_id, "error": body}


def result_body(request_id, result) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


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
        raise RpcError(INVALID_PARAMS, "params must be an object.")
    return handler(params, ctx)


# --- Methods --------------------------------------------------------------------------


def send_message(params: dict, ctx: Context) -> dict:
    message = params.get("message")
    if not isinstance(message, dict):
        raise RpcError(INVALID_PARAMS, "params.message is required.")
    configuration = params.get("configuration") or {}
    if configuration.get("taskPushNotificationConfig"):
        raise RpcError(PUSH_NOT_SUPPORTED, "Push notifications are not supported.")
    try:
        name, arguments = services.action_call_of(message)
    except InvalidInput as error:
        raise RpcError(INVALID_PARAMS, error.message) from None
    except services.UnsupportedContent as error:
        return {"task": _unsupported_task(message, str(error))}
    action = registry.get(name)
    if action is None or not action.agent_tool:
        raise RpcError(INVALID_PARAMS, f"There is no action named {name!r}.")
    _admit(action, ctx)
    _validate(action, arguments, ctx)
    if ctx.user is None:  # a public action, called with no identity: nothing stored
        task = services.task_run_unstored(
            action=action, arguments=arguments, message=message, ctx=ctx
        )
        return {"task": task_json(task)}
    task = services.task_create(
        action=action, arguments=arguments, message=message, issuer=ctx.issuer
    )
    # A task keeps its arguments redacted, so one with secrets runs now: a worker
    # would only have the redacted copy.
    later = configuration.get("returnImmediately") and ctx.org is not None
    if later and action.redacted(arguments) == arguments:
        services.task_queue(task=task, ctx=ctx)
    else:
        task = services.task_run(task=task, ctx=ctx, arguments=arguments)
    return {"task": task_json(task)}


def get_task(params: dict, ctx: Context) -> dict:
    return task_json(_own_task(params.get("id"), ctx))


def list_tasks(params: dict, ctx: Context) -> dict:
    tasks = tasks_for_caller()
    if params.get("contextId"):
        tasks = tasks.filter(context_id=str(params["contextId"]))
    if params.get("status"):
        tasks = tasks.filter(state=str(params["status"]))
    size = _page_size(params.get("pageSize"))
    offset = _offset(params.get("pageToken"))
    total = tasks.count()
    page = list(tasks[offset : offset + size])
    more = offset + size < total
    return {
        "tasks": [task_json(task) for task in page],
        "nextPageToken": _token(offset + size) if more else "",
        "pageSize": size,
        "totalSize": total,
    }


def cancel_task(params: dict, ctx: Context) -> dict:
    task = _own_task(params.get("id"), ctx)
    if task.is_terminal:
        raise RpcError(TASK_NOT_CANCELABLE, f"The task is {task.get_state_display()}.")
    return task_json(services.task_cancel(task=task))


_METHODS = {
    "SendMessage": send_message,
    "GetTask": get_task,
    "ListTasks": list_tasks,
    "CancelTask": cancel_task,
}
_UNSUPPORTED_STREAMING = {"SendStreamingMessage", "SubscribeToTask"}
_PUSH_METHODS = {
    "CreateTaskPushNotificationConfig",
    "GetTaskPushNotificationConfig",
    "ListTaskPushNotificationConfigs",
    "DeleteTaskPushNotificationConfig",
}


# --- Helpers --------------------------------------------------------------------------


def _admit(action, ctx: Context) -> None:
    """The runner's admission (identity, role, rate), as JSON-RPC errors; counted
    here, once, however the task then runs."""
    try:
        runner.admit(action, ctx)
    except NotAuthenticated:
        raise RpcError(AUTHENTICATION, "Authentication required.", status=401) from None
    except PermissionDenied:
        raise RpcError(INVALID_PARAMS, "You may not run this action here.") from None
    except Throttled as error:
        wait = error.retry_after_seconds
        raise RpcError(
            RATE_LIMITED,
            error.message,
            {"retryAfter": wait},
            status=429,
            headers={"Retry-After": str(wait)},
        ) from None


def _validate(action, arguments: dict, ctx: Context) -> None:
    serializer = action.input(data=arguments, context={"ctx": ctx})
    if not serializer.is_valid():
        raise RpcError(
            INVALID_PARAMS,
            "The action's arguments are not valid.",
            {"fields": field_errors(serializer.errors)},
        )


def _own_task(task_id, ctx: Context) -> A2ATask:
    try:
        key = uuid.UUID(str(task_id))
    except ValueError:
        raise RpcError(TASK_NOT_FOUND, "Task not found.") from None
    task = tasks_for_caller().filter(pk=key).first() if ctx.user else None
    if task is None:
        raise RpcError(TASK_NOT_FOUND, "Task not found.")
    return task


def _page_size(value) -> int:
    try:
        size = int(value) if value not in (None, "") else PAGE_SIZE_DEFAULT
    except (TypeError, ValueError):
        raise RpcError(INVALID_PARAMS, "pageSize must be a number.") from None
    if size < 1:
        raise RpcError(INVALID_PARAMS, "pageSize must be at least 1.")
    return min(size, PAGE_SIZE_MAX)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode()


def _offset(token) -> int:
    if not token:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(str(token).encode()).decode())
    except ValueError:
        raise RpcError(INVALID_PARAMS, "pageToken is not valid.") from None
    return max(offset, 0)


def task_json(task: A2ATask) -> dict:
    status = {"state": task.state, "timestamp": _timestamp(task.updated_at)}
    if task.error:
        status["message"] = _agent_message(task, task.error.get("message", "Failed."))
    body = {
        "id": str(task.pk),
        "contextId": task.context_id,
        "status": status,
        "metadata": {"action": task.action},
    }
    if task.request_message:
        body["history"] = [task.request_message]
    if task.state == TaskState.COMPLETED:
        body["artifacts"] = [
            {
                "artifactId": f"{task.pk}-result",
                "name": "result",
                "parts": [{"data": task.result, "mediaType": "application/json"}],
            }
        ]
    return body


def _agent_message(task: A2ATask, text: str) -> dict:
    return {
        "messageId": uuid.uuid4().hex,
        "contextId": task.context_id,
        "taskId": str(task.pk),
        "role": "ROLE_AGENT",
        "parts": [{"text": text}],
    }


def _unsupported_task(message: dict, reason: str) -> dict:
    """A failed task, not stored: nothing was run."""
    task = A2ATask(
        id=uuid.uuid4(),
        context_id=str(message.get("contextId") or uuid.uuid4()),
        state=TaskState.FAILED,
        action="",
        error={"code": "unsupported_content", "message": reason},
        updated_at=timezone.now(),
    )
    return task_json(task)


def _timestamp(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
