"""The params of each A2A method, checked in one place before anything runs.

One reader per method turns the JSON-RPC `params` object into a typed value, or raises
`InvalidParams` naming every field that is wrong (JSON-RPC -32602, the fields in a
`google.rpc.BadRequest`). The rules are a2a.proto's JSON form: a string is a string,
an int32 is an integer in range (not a string, a float or a boolean), an enum is one
of its names, an object is an object, and `null` means "not set" where a field is
optional. No string may hold NUL, which PostgreSQL cannot store. Nothing that fails
here is stored or run.
"""

import base64
import binascii
import datetime
from dataclasses import dataclass

from django.utils.dateparse import parse_datetime

from a2a.models import A2ATask, TaskState

INT32_MAX = 2**31 - 1
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 100
CONTEXT_ID_MAX_LENGTH = A2ATask._meta.get_field("context_id").max_length
ROLES = ("ROLE_USER", "ROLE_AGENT")
TASK_STATES = (
    "TASK_STATE_UNSPECIFIED",
    *TaskState.values,
    "TASK_STATE_INPUT_REQUIRED",
    "TASK_STATE_AUTH_REQUIRED",
)
PART_CONTENTS = ("text", "raw", "url", "data")


class InvalidParams(Exception):
    """The params break the method's schema; `violations` are (field, message)."""

    def __init__(self, violations: list[tuple[str, str]]):
        self.violations = violations
        super().__init__("; ".join(f"{field}: {text}" for field, text in violations))


@dataclass(frozen=True)
class SendMessageParams:
    message: dict
    context_id: str | None
    # The action the message's data part calls; None: the message calls none.
    action: str | None
    arguments: dict
    action_field: str
    history_length: int | None
    return_immediately: bool
    push_notifications: bool


@dataclass(frozen=True)
class TaskParams:
    """GetTask and CancelTask: one task by id."""

    id: str
    history_length: int | None = None


@dataclass(frozen=True)
class ListTasksParams:
    context_id: str | None
    status: str | None
    page_size: int
    offset: int
    history_length: int | None
    updated_after: datetime.datetime | None
    include_artifacts: bool


def send_message(params: dict) -> SendMessageParams:
    read = _Reader()
    _common(read, params)
    message = read.object(params, "message", required=True)
    context_id, action, arguments, action_field = None, None, {}, ""
    if message is not None:
        context_id = _message(read, message, "message")
        action, arguments, action_field = _action_call(message)
    configuration = read.object(params, "configuration") or {}
    read.strings(configuration, "acceptedOutputModes", "configuration")
    push = read.object(configuration, "taskPushNotificationConfig", "configuration")
    history_length = read.history_length(configuration, "configuration")
    return_immediately = read.boolean(
        configuration, "returnImmediately", "configuration"
    )
    read.done()
    return SendMessageParams(
        message=message,
        context_id=context_id,
        action=action,
        arguments=arguments,
        action_field=action_field,
        history_length=history_length,
        return_immediately=bool(return_immediately),
        push_notifications=bool(push),
    )


def get_task(params: dict) -> TaskParams:
    read = _Reader()
    _common(read, params)
    task_id = read.string(params, "id", required=True)
    history_length = read.history_length(params)
    read.done()
    return TaskParams(id=task_id, history_length=history_length)


def cancel_task(params: dict) -> TaskParams:
    read = _Reader()
    _common(read, params)
    task_id = read.string(params, "id", required=True)
    read.done()
    return TaskParams(id=task_id)


def list_tasks(params: dict) -> ListTasksParams:
    read = _Reader()
    _common(read, params)
    context_id = read.string(params, "contextId", max_length=CONTEXT_ID_MAX_LENGTH)
    status = read.enum(params, "status", TASK_STATES)
    page_size = read.integer(params, "pageSize", minimum=1, maximum=PAGE_SIZE_MAX)
    offset = _offset(read, params)
    history_length = read.history_length(params)
    updated_after = _timestamp(read, params, "statusTimestampAfter")
    include_artifacts = read.boolean(params, "includeArtifacts")
    read.done()
    return ListTasksParams(
        context_id=context_id or None,
        status=None if status in (None, "TASK_STATE_UNSPECIFIED") else status,
        page_size=PAGE_SIZE_DEFAULT if page_size is None else page_size,
        offset=offset,
        history_length=history_length,
        updated_after=updated_after,
        include_artifacts=bool(include_artifacts),
    )


def page_token(offset: int) -> str:
    """The ListTasks token for the page that starts at `offset`."""
    return base64.urlsafe_b64encode(str(offset).encode()).decode()


# --- The parts ------------------------------------------------------------------------


def _common(read: "_Reader", params: dict) -> None:
    """Fields every request may carry."""
    read.string(params, "tenant")
    read.object(params, "metadata")


def _message(read: "_Reader", message: dict, path: str) -> str | None:
    """Check a Message; return its contextId (None when it names none)."""
    read.string(message, "messageId", path, required=True)
    context_id = read.string(
        message, "contextId", path, max_length=CONTEXT_ID_MAX_LENGTH
    )
    read.string(message, "taskId", path)
    read.enum(message, "role", ROLES, path, required=True)
    read.object(message, "metadata", path)
    read.strings(message, "extensions", path)
    read.strings(message, "referenceTaskIds", path)
    parts = read.array(message, "parts", path, required=True)
    for index, part in enumerate(parts or []):
        _part(read, part, f"{path}.parts[{index}]")
    read.no_nul(message, path)
    return context_id or None


def _part(read: "_Reader", part, path: str) -> None:
    if not isinstance(part, dict):
        read.problem(path, "must be an object.")
        return
    contents = [key for key in PART_CONTENTS if part.get(key) is not None]
    if len(contents) != 1:
        read.problem(path, "must have exactly one of text, raw, url or data.")
    for key in ("text", "raw", "url", "filename", "mediaType"):
        read.string(part, key, path)
    read.object(part, "metadata", path)
    data = part.get("data")
    if isinstance(data, dict) and "action" in data:
        read.string(data, "action", f"{path}.data", required=True)
        read.object(data, "arguments", f"{path}.data")


def _action_call(message: dict) -> tuple[str | None, dict, str]:
    """The action the first data part calls, its arguments and the field naming it."""
    for index, part in enumerate(message.get("parts") or []):
        data = part.get("data") if isinstance(part, dict) else None
        if isinstance(data, dict) and "action" in data:
            field = f"message.parts[{index}].data.action"
            return data["action"], data.get("arguments") or {}, field
    return None, {}, ""


def _offset(read: "_Reader", params: dict) -> int:
    """The offset a pageToken stands for: one this server gave, or the first page."""
    token = read.string(params, "pageToken")
    if not token:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii"))
    except (binascii.Error, UnicodeError, ValueError):
        offset = None
    if offset is None or not 0 < offset <= INT32_MAX or page_token(offset) != token:
        read.problem("pageToken", "is not a token this server gave.")
        return 0
    return offset


def _timestamp(read: "_Reader", params: dict, key: str) -> datetime.datetime | None:
    text = read.string(params, key)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        read.problem(key, "must be an RFC 3339 time with a zone (…Z or …+01:00).")
        return None
    return moment


class _Reader:
    """Reads fields of JSON objects, noting every problem instead of stopping at the
    first, so one answer names all of them."""

    def __init__(self):
        self.violations: list[tuple[str, str]] = []

    def problem(self, field: str, text: str) -> None:
        if (field, text) not in self.violations:
            self.violations.append((field, text))

    def done(self) -> None:
        if self.violations:
            raise InvalidParams(self.violations)

    def _get(self, parent: dict, key: str, required: bool, field: str):
        value = parent.get(key)
        if value is None and required:
            self.problem(field, "is required.")
        return value

    def string(self, parent, key, path="", *, required=False, max_length=None):
        field = _join(path, key)
        value = self._get(parent, key, required, field)
        if value is None:
            return None
        if not isinstance(value, str):
            return self.problem(field, "must be a string.")
        if required and not value:
            return self.problem(field, "must not be empty.")
        if max_length is not None and len(value) > max_length:
            return self.problem(field, f"must be at most {max_length} characters.")
        if "\x00" in value:
            return self.problem(field, "must not contain NUL characters.")
        return value

    def integer(self, parent, key, path="", *, minimum=0, maximum=INT32_MAX):
        field = _join(path, key)
        value = parent.get(key)
        if value is None:
            return None
        # bool is an int in Python, not in JSON.
        if not isinstance(value, int) or isinstance(value, bool):
            return self.problem(field, "must be an integer.")
        if not minimum <= value <= maximum:
            return self.problem(field, f"must be from {minimum} to {maximum}.")
        return value

    def history_length(self, parent, path=""):
        """0: no history; n: the last n messages; not set: all of it."""
        return self.integer(parent, "historyLength", path)

    def boolean(self, parent, key, path=""):
        value = parent.get(key)
        if value is not None and not isinstance(value, bool):
            return self.problem(_join(path, key), "must be true or false.")
        return value

    def object(self, parent, key, path="", *, required=False):
        field = _join(path, key)
        value = self._get(parent, key, required, field)
        if value is not None and not isinstance(value, dict):
            return self.problem(field, "must be an object.")
        return value

    def array(self, parent, key, path="", *, required=False):
        field = _join(path, key)
        value = self._get(parent, key, required, field)
        if value is None:
            return None
        if not isinstance(value, list):
            return self.problem(field, "must be a list.")
        if required and not value:
            return self.problem(field, "must have at least one element.")
        return value

    def strings(self, parent, key, path=""):
        items = self.array(parent, key, path) or []
        if not all(isinstance(item, str) for item in items):
            self.problem(_join(path, key), "must be a list of strings.")

    def enum(self, parent, key, choices, path="", *, required=False):
        field = _join(path, key)
        value = self._get(parent, key, required, field)
        if value is None:
            return None
        if value not in choices:
            return self.problem(field, f"must be one of {', '.join(choices)}.")
        return value

    def no_nul(self, value, path: str) -> None:
        """No NUL in any string or key under `value` (the body's depth is bounded, so
        this walk is short)."""
        pending = [(value, path)]
        while pending:
            item, where = pending.pop()
            if isinstance(item, str) and "\x00" in item:
                self.problem(where, "must not contain NUL characters.")
                return
            if isinstance(item, dict):
                for key, child in item.items():
                    if "\x00" in key:
                        self.problem(where, "must not contain NUL characters.")
                        return
                    pending.append((child, f"{where}.{key}"))
            elif isinstance(item, list):
                pending.extend((child, f"{where}[{i}]") for i, child in enumerate(item))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
