"""One log line per request, with its id; no secret ever reaches a log."""

import logging

import pytest
from django.db import connection

from config.log import REDACTED, redact
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple-42"


@pytest.mark.django_db
def test_one_line_per_request_with_its_id(client, console_output):
    response = client.get("/healthz?token=query-secret-123")
    request_id = response["X-Request-ID"]
    lines = [
        line for line in console_output.getvalue().splitlines() if "request " in line
    ]
    assert len(lines) == 1
    assert f"[{request_id}]" in lines[0]
    assert "route=/healthz status=200" in lines[0]
    assert "query-secret-123" not in console_output.getvalue()


def test_a_safe_incoming_request_id_is_kept_and_an_unsafe_one_replaced(client):
    kept = client.get("/", headers={"X-Request-ID": "abc-123-def-456"})
    assert kept["X-Request-ID"] == "abc-123-def-456"
    replaced = client.get("/", headers={"X-Request-ID": "bad\nid injected=1"})
    assert replaced["X-Request-ID"] != "bad\nid injected=1"
    assert len(replaced["X-Request-ID"]) == 32


@pytest.mark.urls("tests.config.urls")
def test_a_path_carrying_a_secret_is_logged_as_its_route(client, console_output):
    response = client.get("/test/invitations/invite-secret-0123456789/")
    assert response.status_code == 200
    output = console_output.getvalue()
    assert "route=/test/invitations/<str:token>/ status=200" in output
    assert "invite-secret-0123456789" not in output


@pytest.mark.django_db
def test_signing_in_never_logs_the_password(client, caplog, console_output):
    user = UserFactory(password=PASSWORD)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    connection.force_debug_cursor = True  # log every SQL statement too
    try:
        wrong = client.post(
            "/accounts/login/", {"login": user.email, "password": PASSWORD + "x"}
        )
        right = client.post(
            "/accounts/login/", {"login": user.email, "password": PASSWORD}
        )
    finally:
        connection.force_debug_cursor = False
    assert wrong.status_code == 200  # the form again, with an error
    assert right.status_code == 302  # signed in
    assert caplog.records, "nothing was logged, so nothing was checked"
    for record in caplog.records:
        assert PASSWORD not in record.getMessage()
    assert PASSWORD not in console_output.getvalue()


@pytest.mark.parametrize(
    "line",
    [
        "password=hunter2-secret",
        'login failed {"password": "hunter2-secret"}',
        "<QueryDict: {'password': ['hunter2-secret']}>",
        "Authorization: Bearer hunter2-secret",
        "api_key=hunter2-secret&x=1",
        "token: hunter2-secret",
        "calling with client_secret=hunter2-secret",
    ],
)
def test_secret_looking_values_are_redacted(line):
    cleaned = redact(line)
    assert "hunter2-secret" not in cleaned
    assert REDACTED in cleaned
    # Redacting what is already redacted changes nothing (actions redact their
    # arguments, and the audit log redacts again).
    assert redact(cleaned) == cleaned


def test_redaction_reaches_the_console(console_output):
    logging.getLogger("tests").warning("retrying with password=%s", "hunter2-secret")
    logging.getLogger("tests").error(
        "failed", exc_info=ValueError("token=hunter2-secret")
    )
    output = console_output.getvalue()
    assert "hunter2-secret" not in output
    assert output.count(REDACTED) == 2


@pytest.mark.django_db
def test_django_records_reach_the_root_handlers_once(client, caplog, console_output):
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        client.get("/readyz")  # runs one query: SELECT 1
    finally:
        connection.force_debug_cursor = False
    assert any(r.name == "django.db.backends" for r in caplog.records)
    lines = console_output.getvalue().splitlines()
    assert len([line for line in lines if "SELECT 1" in line]) == 1
