"""Error reports to Sentry, when SENTRY_DSN is set.

`config.settings` imports this module, and so sentry_sdk, only then: unset, nothing
of Sentry is loaded and nothing is sent.

What leaves the process is held to the logs' rules (config.log): no request body,
query string, cookie or credential header; secret-looking values redacted wherever
they are; no local variables (a frame's locals hold whatever the code was handling:
a password being checked, an email being stored); no task arguments; the route, not
the path (paths carry invitation tokens and inbound-webhook secrets). Each event is
tagged with the request id the response and the log lines carry.
"""

from urllib.parse import urlsplit, urlunsplit

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from config.log import redact, redact_mapping, request_id_var

# Request headers never sent, whatever their value looks like.
DROPPED_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
# Parts of the request never sent: bodies, the query string, cookies, the
# server's environment (client address).
DROPPED_REQUEST_PARTS = ("data", "query_string", "cookies", "env")
REQUEST_ID_TAG = "request_id"


def sentry_init(*, dsn: str, release: str = "", environment: str = "") -> None:
    """Start reporting errors of this process (web or worker) to `dsn`."""
    sentry_sdk.init(
        dsn=dsn,
        release=release or None,
        environment=environment or None,
        integrations=[
            # Events are named by route (`/invitations/{token}/`), not path.
            DjangoIntegration(transaction_style="url"),
            CeleryIntegration(),
        ],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )


def before_send(event: dict, hint: dict) -> dict:
    """`event` as it may leave the process: scrubbed, tagged with the request id."""
    request = event.get("request")
    if isinstance(request, dict):
        _scrub_request(request, route=event.get("transaction"))
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        # The parameters are the values the message was formatted with: redacted
        # only in context (`password=%s`), so only the formatted text is sent.
        text = logentry.get("formatted") or logentry.get("message") or ""
        event["logentry"] = {"message": redact(str(text))}
    extra = event.get("extra")
    if isinstance(extra, dict):
        # Django's log records carry the request; its repr names the path.
        extra.pop("request", None)
        job = extra.get("celery-job")
        if isinstance(job, dict):
            # What a task was given may be what a user wrote.
            job.pop("args", None)
            job.pop("kwargs", None)
    event = redact_mapping(event)
    request_id = request_id_var.get()
    if request_id != "-":
        event.setdefault("tags", {})[REQUEST_ID_TAG] = request_id
    return event


def before_breadcrumb(crumb: dict, hint: dict) -> dict:
    """`crumb` redacted as a log line is (they ride along with the next event)."""
    return redact_mapping(crumb)


def _scrub_request(request: dict, *, route) -> None:
    for part in DROPPED_REQUEST_PARTS:
        request.pop(part, None)
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: value
            for name, value in headers.items()
            if name.lower() not in DROPPED_HEADERS
        }
    url = request.get("url")
    if isinstance(url, str) and isinstance(route, str) and route.startswith("/"):
        parts = urlsplit(url)
        request["url"] = urlunsplit((parts.scheme, parts.netloc, route, "", ""))
