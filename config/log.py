"""Logging pieces: the request id every line carries, and secret redaction.

The request id lives in a context variable, set by `RequestLogMiddleware` for a request
and by the Celery signal handlers in `config.celery_app` for a task, so any log line
written while handling either carries it.
"""

import contextvars
import logging
import re

from django.urls import Resolver404, resolve
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)

_SENSITIVE_WORDS = (
    r"password|passwd|secret|token|api[_-]?key|authorization|signature"
    r"|cookie|sessionid|csrftoken|credential"
)
_SECRET_NAME = re.compile(rf"(?i){_SENSITIVE_WORDS}")
# Values after these words are replaced. It is a safety net for careless log calls;
# the first defence is never logging request bodies, headers or query strings.
# (A value already replaced is left alone, so redacting twice changes nothing.)
_SECRET_ASSIGNMENT = re.compile(
    rf"(?i)([\w-]*(?:{_SENSITIVE_WORDS})[\w-]*)"
    r"([\"']?\s*[:=]\s*(?![\[(\"']*\[redacted\])[\[(\"']*)(?:bearer\s+|basic\s+)?"
    r"[^\s\"',;&]+"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
REDACTED = "[redacted]"
# What ends or rewrites a line in a log file or a terminal: C0 controls (\n, \r,
# ESC…), DEL, C1 controls (NEL…), Unicode's line and paragraph separators, and the
# bidirectional overrides that make a line read other than it is.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def is_secret_name(name: str) -> bool:
    """Whether a field called `name` probably holds a secret."""
    return bool(_SECRET_NAME.search(name))


def redact_mapping(value):
    """A copy of `value` (JSON-like) with secret-named fields' values replaced."""
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_name(str(key)) else redact_mapping(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_mapping(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    return value


def redact(text: str) -> str:
    """Return `text` with secret-looking values replaced."""
    text = _SECRET_ASSIGNMENT.sub(lambda m: f"{m[1]}{m[2]}{REDACTED}", text)
    return _BEARER.sub(lambda m: f"{m[1]} {REDACTED}", text)


def escape_controls(text: str) -> str:
    """`text` with each control character written as its escape (`\\n`, `\\x1b`,
    `\\u2028`), so that it stays on one line and cannot move the cursor."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode(), text)


class LineFormatter(logging.Formatter):
    """One record, one line: control characters anywhere in it (a request path, a
    header, a provider's event type) are escaped, so no input can forge a line.
    Only a traceback, appended after the line, spans several."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_controls(super().formatMessage(record))


class JsonLineFormatter(_JsonFormatter):
    """One record, one JSON object on one line (LOG_FORMAT=json).

    The fields of the format string, the record's `extra` values as keys of their
    own (the request line's method, route, status…), and a traceback as the string
    `exc_info`. The encoder escapes every control and non-ASCII character, so no
    input can end the line early. The filters have redacted the message, the
    extras and the traceback text before this runs; the record's `request` (Django
    attaches it to its records) is left out: it would print the path and query.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        kwargs["json_ensure_ascii"] = True
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_text:
            # The base class formats the traceback again from exc_info; the text
            # the redaction filter cleaned is the one to write. (A copy: other
            # handlers may still need exc_info.)
            record = logging.makeLogRecord({**vars(record), "exc_info": None})
        return super().format(record)


def route_of(request) -> str:
    """The route pattern `request` matched, for logs: paths carry secrets
    (invitation tokens, inbound-webhook secrets), patterns do not.

    A request that failed before URL resolution (in a middleware, say the database
    being down) is resolved here; a path that matches no route is logged as is.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return request.path
    return "/" + match.route


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request or task it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if request_id == "-":
            # django.request logs some responses after the middleware has finished;
            # those records carry the request itself.
            request_id = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = request_id
        return True


# What every record has; anything else on a record came from a call's `extra`.
_RECORD_ATTRIBUTES = frozenset(
    (*vars(logging.makeLogRecord({})), "message", "asctime", "request", "request_id")
)


class RedactSecretsFilter(logging.Filter):
    """Scrub secret-looking values from the message, any `extra` value (the JSON
    format writes those as keys of their own) and any traceback text, and replace a
    request's path with its route (Django logs every 5xx with its path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            paths = {request.path, request.path.encode("unicode_escape").decode()}
            route = route_of(request)
            record.args = tuple(
                route if isinstance(arg, str) and arg in paths else arg
                for arg in record.args
            )
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        for name, value in list(vars(record).items()):
            if name in _RECORD_ATTRIBUTES or name.startswith("_"):
                continue
            if is_secret_name(name):
                setattr(record, name, REDACTED)
            elif isinstance(value, str | dict | list | tuple):
                setattr(record, name, redact_mapping(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
