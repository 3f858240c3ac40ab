"""SENTRY_DSN set: errors in views and tasks reach Sentry, tagged with the request
id and holding no secret; unset: nothing of Sentry is even imported.

A stand-in server on loopback plays Sentry; the app and the worker are real
processes (gunicorn, celery) started with the DSN pointing at it."""

import json
import uuid

import pytest
import requests
from django.conf import settings

from accounts.services import api_token_create
from config.log import REDACTED, request_id_var
from tests.config.sentry_server import SentryServer
from tests.config.worker_tasks import fail
from tests.factories import UserFactory
from tests.processes import (
    AppServer,
    clean_env,
    run_python,
    start_worker,
    test_database_url,
)
from tests.testapp.urls import FAILURE

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple-42"
EMAIL_BODY = "Dear team, the merger closes on Friday; keep it quiet."
QUERY_SECRET = "query-secret-0123456789"
PATH_SECRET = "path-secret-0123456789"

_SETUP_AND_REQUEST = """
import sys
import django
django.setup()
from django.test import Client
Client().get("/healthz")
print(sorted(m for m in sys.modules if m.startswith(("sentry_sdk", "config.sentry"))))
"""


def test_unset_nothing_of_sentry_is_imported():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=test_database_url(),
    )
    unset = run_python(_SETUP_AND_REQUEST, env)
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout.strip() == "[]"
    # The same program does see them once the DSN is set (nothing listens there:
    # nothing is sent by a request that succeeds).
    env["SENTRY_DSN"] = "http://publickey@127.0.0.1:9/1"
    set_ = run_python(_SETUP_AND_REQUEST, env)
    assert set_.returncode == 0, set_.stderr
    assert "'sentry_sdk'" in set_.stdout
    assert "'config.sentry'" in set_.stdout


def _app_env(**variables) -> dict[str, str]:
    return clean_env(
        DJANGO_SETTINGS_MODULE="tests.testapp.settings",
        DATABASE_URL=test_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        **variables,
    )


def _assert_holds_none_of(sentry: SentryServer, *secrets: str) -> None:
    assert sentry.envelopes
    for envelope in sentry.envelopes:
        for secret in secrets:
            assert secret not in envelope


def test_an_error_in_a_view_arrives_with_the_request_id_and_no_secret(client, tmp_path):
    user = UserFactory(password=PASSWORD)
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    _, api_token = api_token_create(user=user, name="sentry test")
    with SentryServer() as sentry:
        server = AppServer(
            _app_env(
                SENTRY_DSN=sentry.dsn,
                SENTRY_RELEASE="template@1.2.3",
                SENTRY_ENVIRONMENT="ci",
            ),
            tmp_path / "app.log",
        ).start()
        try:
            response = requests.post(
                f"{server.url}/test/fail/{PATH_SECRET}/?token={QUERY_SECRET}&q=1",
                data={"password": PASSWORD, "body": EMAIL_BODY, "email": user.email},
                headers={"Authorization": f"Bearer {api_token}"},
                cookies={settings.SESSION_COOKIE_NAME: session},
                timeout=30,
            )
            assert response.status_code == 500
            event = sentry.wait_for_event(lambda e: FAILURE in json.dumps(e))
        finally:
            server.stop()

    assert event["tags"]["request_id"] == response.headers["X-Request-ID"]
    assert event["release"] == "template@1.2.3"
    assert event["environment"] == "ci"
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    # The route, not the path: paths carry secrets (invitation tokens).
    assert event["request"]["url"] == f"{server.url}/test/fail/{{token}}/"
    assert event["request"]["method"] == "POST"
    # The view's log line rides along as a breadcrumb, redacted like the logs.
    assert f"failing with password={REDACTED}" in json.dumps(event["breadcrumbs"])
    _assert_holds_none_of(
        sentry, api_token, session, PASSWORD, EMAIL_BODY, QUERY_SECRET, PATH_SECRET
    )


def test_an_error_in_a_task_arrives_with_the_request_id_and_no_secret(tmp_path):
    queue = f"test-{uuid.uuid4().hex}"
    marker = f"marker-{uuid.uuid4().hex}"
    request_id = f"req-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    with SentryServer() as sentry:
        worker = start_worker(queue, log_path, SENTRY_DSN=sentry.dsn)
        try:
            token = request_id_var.set(request_id)
            try:
                fail.apply_async(
                    args=[marker], kwargs={"note": EMAIL_BODY}, queue=queue
                )
            finally:
                request_id_var.reset(token)
            event = sentry.wait_for_event(
                lambda e: marker in json.dumps(e.get("exception"))
            )
        except AssertionError:
            raise AssertionError(f"worker's log:\n{log_path.read_text()}") from None
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    assert event["tags"]["request_id"] == request_id
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert event["transaction"] == "tests.config.worker_tasks.fail"
    _assert_holds_none_of(sentry, EMAIL_BODY)
