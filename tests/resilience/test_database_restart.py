"""PostgreSQL restarted under load: while it is down every request that needs it gets
a clean 503 (the envelope and Retry-After; /readyz names the database), nothing the
app acknowledged is lost, and the same app processes serve normally once it is back.

The app is gunicorn (2 workers x 4 threads, persistent connections with health
checks, as in production) on a PostgreSQL server of the test's own, connected as an
ordinary role, with the suite's Redis as broker; the load comes from this process
over loopback.
"""

import json
import os
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis

from bench.calls import slack_events
from bench.load import run as load
from bench.run import migrate_and_seed, serve
from tests.resilience.postgres_server import PostgresServer
from tests.webhooks import signing

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROLE = DATABASE = "template_restart"
CONCURRENCY = 8
HEALTHY_SECONDS, DOWN_SECONDS, BACK_SECONDS = 3, 4, 6
BROKER_REDIS_DB = 13  # not the suite's (14, 15) nor the benchmarks' (11, 12)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "resilience"


@pytest.fixture(scope="module")
def postgres():
    reason = PostgresServer.why_unavailable()
    if reason is not None:
        pytest.skip(reason)
    server = PostgresServer()
    try:
        server.create()
        server.start()
        server.psql(f"CREATE ROLE {ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
        server.psql(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")
        yield server
    finally:
        server.remove()


@pytest.fixture
def broker(settings, tmp_path):
    """The suite's Redis when it has one (in a database of this test's own, emptied
    after), else a filesystem broker in a temporary folder."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        yield {
            "CELERY_BROKER_URL": "filesystem://localhost/",
            "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        }
        return
    url = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{BROKER_REDIS_DB}"
    yield {"CELERY_BROKER_URL": url}
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def app(postgres, broker, tmp_path):
    env = {
        **broker,
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_ENV_FILE": "/nonexistent",
        "DATABASE_URL": postgres.url(ROLE, DATABASE),
        # migrate lays out the roles first, as a release step does
        "DATABASE_ADMIN_URL": postgres.url("postgres", "postgres"),
        "SLACK_SIGNING_SECRET": signing.SLACK_SECRET,
        "ACTIONS_DEFAULT_THROTTLE_RATE": "1000000/min",
    }
    seed = migrate_and_seed(env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = tmp_path / "app.log"
    with log_path.open("wb") as log:
        process = serve(env, port=port, threads=4, output=log)
        try:
            yield SimpleNamespace(
                port=port, token=seed["token"], process=process, log=log_path
            )
        finally:
            process.terminate()
            process.wait(timeout=30)


def _children(pid: int) -> set[int]:
    children = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines()
            )
        except (OSError, ValueError):
            continue  # the process ended while we looked
        if int(fields.get("PPid", "0").strip()) == pid:
            children.add(int(status.parent.name))
    return children


def _requests(token: str):
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    mix = [
        lambda i: (
            "POST",
            "/api/actions/create-memo/",
            json.dumps({"title": f"restart {i}"}),
            api,
        ),
        lambda i: ("GET", "/api/actions/list-memos/?limit=5", None, api),
        lambda i: ("GET", "/readyz", None, {}),
        lambda i: ("GET", "/healthz", None, {}),
        slack_events(signing.SLACK_SECRET, "restart"),
    ]
    return lambda i: mix[i % len(mix)](i)


def test_the_database_restarted_under_load_fails_cleanly_and_recovers(postgres, app):
    answers = []  # (when, request, status, headers, body)
    timeline = {}

    def record(request, status, headers, body):
        answers.append((time.monotonic(), request, status, dict(headers), body))

    def drive(seconds):
        return load(
            "127.0.0.1",
            app.port,
            _requests(app.token),
            concurrency=CONCURRENCY,
            seconds=seconds,
            max_requests=10**6,
            on_response=record,
        )

    def operator():
        time.sleep(HEALTHY_SECONDS)
        timeline["stopping"] = time.monotonic()
        postgres.stop()
        time.sleep(DOWN_SECONDS)
        postgres.start()
        timeline["started"] = time.monotonic()

    workers = _children(app.process.pid)
    assert len(workers) == 2
    restart = threading.Thread(target=operator)
    restart.start()
    during = drive(HEALTHY_SECONDS + DOWN_SECONDS + BACK_SECONDS)
    restart.join()
    after = drive(3)

    outage = [a[0] for a in answers if a[2] == 503]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "database-restart.json").write_text(
        json.dumps(
            {
                "during": during,
                "after": after,
                "first_503_after_stop_s": round(outage[0] - timeline["stopping"], 2)
                if outage
                else None,
                "last_503_after_start_s": round(outage[-1] - timeline["started"], 2)
                if outage
                else None,
            },
            indent=2,
        )
    )

    # Every request was answered: no reset connection, no crashed worker.
    assert during["errors"] == 0, during
    assert after["errors"] == 0, after
    # Before the stop everything worked; the outage was seen, and only as 503s.
    before_stop = [a for a in answers if a[0] < timeline["stopping"]]
    assert before_stop
    assert {status for _, _, status, _, _ in before_stop} == {200}
    unavailable = [a for a in answers if a[2] >= 500]
    assert unavailable, "the load never met the outage"
    assert set(during["statuses"]) <= {200, 503}, during
    for _, (_, path, _, _), status, headers, body in unavailable:
        assert status == 503
        if path == "/readyz":
            assert json.loads(body)["database"] == "error"
            continue
        assert headers["Content-Type"] == "application/json"
        assert headers["Retry-After"].isdigit()
        assert json.loads(body)["error"]["code"] == "service_unavailable"
        for leak in (b"Traceback", b"psycopg", b"OperationalError", b"127.0.0.1"):
            assert leak not in body
        assert str(postgres.port).encode() not in body
    # Liveness stays up: the processes are fine, only their database is away.
    live = [a[2] for a in answers if a[1][1] == "/healthz"]
    assert live
    assert set(live) == {200}
    failed_paths = {path for _, (_, path, _, _), _, _, _ in unavailable}
    assert failed_paths - {"/readyz"}, "only /readyz met the outage"

    # Back: the same master and workers serve every request again.
    assert set(after["statuses"]) == {200}, after
    assert app.process.poll() is None
    assert _children(app.process.pid) == workers

    # Nothing acknowledged was lost: every memo and webhook answered 200 is stored.
    created = {
        json.loads(body)["id"]
        for _, (_, path, _, _), status, _, body in answers
        if status == 200 and path == "/api/actions/create-memo/"
    }
    received = {
        json.loads(request_body)["event_id"]
        for _, (_, path, request_body, _), status, _, _ in answers
        if status == 200 and path == "/webhooks/slack/"
    }
    assert created
    assert received
    stored_memos = set(
        map(int, postgres.psql("SELECT id FROM testapp_memo", DATABASE).split())
    )
    stored_events = set(
        postgres.psql("SELECT event_id FROM webhooks_webhookevent", DATABASE).split()
    )
    assert created <= stored_memos
    assert received <= stored_events

    # The app logged the failures without the caller's token.
    log = app.log.read_bytes()
    assert app.token.encode() not in log
