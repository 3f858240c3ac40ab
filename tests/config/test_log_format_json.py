"""LOG_FORMAT=json: one JSON object per line, the plain line's fields as keys, the
same redaction; plain text stays the default."""

import json
import logging
import logging.config
import re

import pytest
from django.conf import settings

from accounts.services import api_token_create
from config.log import REDACTED
from tests.factories import UserFactory
from tests.processes import clean_env, run_python

SECRET = "hunter2-secret-0123456789"

# A process of its own: settings read LOG_FORMAT once, at start.
_LOG_SOME_RECORDS = f"""
import logging
import django
django.setup()
from django.test import Client
client = Client()
response = client.get("/healthz?token={SECRET}")
print("REQUEST-ID", response["X-Request-ID"], flush=True)
client.get("/nope%0aFORGED%e2%80%a8line")
log = logging.getLogger("tests.json")
log.warning("retrying with password=%s", "{SECRET}")
log.warning("note", extra={{"detail": "api_key={SECRET}", "client_secret": "{SECRET}"}})
try:
    raise ValueError("token={SECRET}")
except ValueError:
    log.exception("failed with\\nFORGED")
"""


def _run(**variables):
    return run_python(
        _LOG_SOME_RECORDS,
        clean_env(DJANGO_SETTINGS_MODULE="config.settings.test", **variables),
    )


def _records(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines()]


def test_json_writes_one_object_per_line_with_the_request_fields():
    result = _run(LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    # Every line is one whole JSON object: no input split a record.
    records = _records(result.stderr)
    request_id = result.stdout.split()[1]
    [healthz] = [r for r in records if r.get("route") == "/healthz"]
    assert healthz["request_id"] == request_id
    assert healthz["level"] == "INFO"
    assert healthz["logger"] == "config.request"
    assert healthz["time"].startswith("20")
    assert {key: healthz[key] for key in ("method", "status", "user", "caller")} == {
        "method": "GET",
        "status": 200,
        "user": "-",
        "caller": "http",
    }
    assert isinstance(healthz["duration_ms"], float)
    assert "route=/healthz status=200" in healthz["message"]
    [unrouted] = [r for r in records if r.get("status") == 404]
    assert unrouted["route"] == "/nope\nFORGED\u2028line"
    [failed] = [r for r in records if r["message"].startswith("failed")]
    assert failed["message"] == "failed with\nFORGED"
    assert "ValueError" in failed["exc_info"]


def test_json_redacts_messages_fields_and_tracebacks():
    result = _run(LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    assert SECRET not in result.stderr
    records = _records(result.stderr)
    [retrying] = [r for r in records if r["message"].startswith("retrying")]
    assert retrying["message"] == f"retrying with password={REDACTED}"
    [note] = [r for r in records if r["message"] == "note"]
    assert note["detail"] == f"api_key={REDACTED}"
    assert note["client_secret"] == REDACTED
    [failed] = [r for r in records if r["message"].startswith("failed")]
    assert f"ValueError: token={REDACTED}" in failed["exc_info"]


def test_plain_text_is_the_default():
    result = _run()
    assert result.returncode == 0, result.stderr
    request_id = result.stdout.split()[1]
    [line] = [line for line in result.stderr.splitlines() if "route=/healthz" in line]
    assert re.fullmatch(
        rf"[\d-]+ [\d:,]+ INFO config\.request \[{request_id}\] request method=GET"
        r" route=/healthz status=200 duration_ms=[\d.]+ user=- caller=http",
        line,
    ), line
    assert not line.startswith("{")
    assert SECRET not in result.stderr


def test_an_unknown_log_format_is_refused_by_name():
    result = _run(LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json, not 'xml'" in result.stderr


@pytest.fixture
def json_console(console_output):
    """The console handler with the configured JSON formatter, in this process."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    configurator = logging.config.DictConfigurator(settings.LOGGING)
    formatter = configurator.configure_formatter(settings.LOGGING["formatters"]["json"])
    previous = handler.formatter
    handler.setFormatter(formatter)
    yield console_output
    handler.setFormatter(previous)


@pytest.mark.django_db
def test_json_request_line_names_the_user_and_the_caller_kind(client, json_console):
    user = UserFactory()
    _, raw = api_token_create(user=user, name="logs")
    response = client.get("/api/actions/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    [line] = [
        json.loads(line)
        for line in json_console.getvalue().splitlines()
        if '"config.request"' in line
    ]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["route"] == "/api/actions/"
    assert line["user"] == str(user.pk)
    assert line["caller"] == "agent"
    assert raw not in json_console.getvalue()
