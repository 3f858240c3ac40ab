"""What `config.sentry.before_send` lets leave the process, event part by part.

Sentry's SDK, without default PII, already leaves out some of this (credential
headers, cookies, task arguments); these tests hold our own layer to it, so a
change of the SDK's defaults or options cannot open the way."""

import json

from config.log import REDACTED, request_id_var
from config.sentry import before_breadcrumb, before_send

SECRET = "hunter2-secret-0123456789"


def _event(**parts) -> dict:
    return {"event_id": "e1", "level": "error", "tags": {"a": "b"}, **parts}


def test_request_bodies_queries_cookies_and_credential_headers_are_dropped():
    event = before_send(
        _event(
            transaction="/invitations/{token}/",
            request={
                "url": f"https://app.example/invitations/{SECRET}/",
                "method": "POST",
                "query_string": f"q={SECRET}",
                "data": {"body": SECRET},
                "cookies": {"sessionid": SECRET},
                "env": {"REMOTE_ADDR": "203.0.113.9"},
                "headers": {
                    "Authorization": f"Bearer {SECRET}",
                    "Cookie": f"sessionid={SECRET}",
                    "X-Note": f"token={SECRET}",
                    "User-Agent": "curl/8",
                },
            },
        ),
        {},
    )
    assert SECRET not in json.dumps(event)
    assert "203.0.113.9" not in json.dumps(event)
    assert event["request"] == {
        "url": "https://app.example/invitations/{token}/",
        "method": "POST",
        "headers": {"X-Note": f"token={REDACTED}", "User-Agent": "curl/8"},
    }


def test_messages_exceptions_extra_and_breadcrumbs_are_redacted():
    event = before_send(
        _event(
            logentry={
                "message": "signing in with password=%s",
                "params": [SECRET],
                "formatted": f"signing in with password={SECRET}",
            },
            exception={
                "values": [{"type": "ValueError", "value": f"api_key={SECRET}"}]
            },
            extra={
                "request": f"<WSGIRequest: GET '/invitations/{SECRET}/'>",
                "client_secret": SECRET,
                "celery-job": {"task_name": "t", "args": [SECRET], "kwargs": {}},
            },
            breadcrumbs={"values": [{"message": f"Authorization: Bearer {SECRET}"}]},
        ),
        {},
    )
    assert SECRET not in json.dumps(event)
    assert event["logentry"] == {"message": f"signing in with password={REDACTED}"}
    assert event["exception"]["values"][0]["value"] == f"api_key={REDACTED}"
    assert event["extra"] == {
        "client_secret": REDACTED,
        "celery-job": {"task_name": "t"},
    }


def test_a_breadcrumb_is_redacted_when_recorded():
    crumb = before_breadcrumb({"message": f"token={SECRET}", "data": {}}, {})
    assert crumb == {"message": f"token={REDACTED}", "data": {}}


def test_the_request_id_is_a_tag_when_there_is_one():
    assert "request_id" not in before_send(_event(), {})["tags"]
    token = request_id_var.set("req-0123456789")
    try:
        event = before_send(_event(), {})
    finally:
        request_id_var.reset(token)
    assert event["tags"] == {"a": "b", "request_id": "req-0123456789"}
