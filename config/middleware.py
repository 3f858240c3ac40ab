"""Project-wide middleware."""

import logging
import re
import time
import uuid

from django.utils.functional import empty

from config.log import request_id_var, route_of

logger = logging.getLogger("config.request")

# A caller's X-Request-ID is kept only when it cannot smuggle anything into a log line.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "X-Request-ID"
# The Server header names no software and no version: those tell a scanner which
# advisories to try.
SERVER_HEADER = "app"


class RequestLogMiddleware:
    """Give each request an id and write one log line when it is answered.

    The line carries method, route, status, duration, the user's id and the caller
    kind (`config.context`: http, agent, a2a, mcp…), and nothing from headers, body
    or query string. For a URL that resolved, the route pattern is logged instead
    of the path, because paths carry secrets too (invitation tokens, inbound-webhook
    secrets).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = (
            incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        )
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            fields = {
                "method": request.method,
                "route": route_of(request),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": _user_id(request),
                "caller": _caller_kind(request),
            }
            # The values twice: in the message for the plain line, and as `extra`
            # keys of their own for LOG_FORMAT=json.
            logger.info(
                "request method=%s route=%s status=%s duration_ms=%.1f user=%s"
                " caller=%s",
                *fields.values(),
                extra=fields,
            )
            return response
        finally:
            request_id_var.reset(token)


def _user_id(request) -> str:
    """The user's id if the request already looked them up, else "-". The log line
    must not query: the database may be why the request failed."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return str(user.pk) if user.is_authenticated else "-"


def _caller_kind(request) -> str:
    """The entrance the request's Context names (the innermost one: an API call
    by token is an agent's, not a page's), or "-" if none was entered."""
    ctx = getattr(request, "ctx", None)
    return ctx.caller if ctx is not None else "-"


class ServerHeaderMiddleware:
    """Answer `Server: app` whatever serves the app.

    runserver (wsgiref) sends its own `WSGIServer/… CPython/…` only when the app
    sends none. gunicorn drops the app's and sends its own: config.wsgi calls
    `gunicorn_names_no_software()` for that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Server"] = SERVER_HEADER
        return response


def gunicorn_names_no_software() -> None:
    """Make gunicorn's Server header say SERVER_HEADER too.

    gunicorn (27) writes `Server: gunicorn` itself, drops the app's Server header
    (it counts it among the hop-by-hop ones), and has no setting for either; its
    responses take the name from `gunicorn.http.wsgi.SERVER`. Nothing happens where
    gunicorn is not installed.
    """
    try:
        from gunicorn.http import wsgi
    except ImportError:
        return
    wsgi.SERVER = SERVER_HEADER
