"""`make bench`: benchmarks on this machine's PostgreSQL and Redis, and on SQLite;
writes bench/REPORT.md.

- In process, on both engines (bench/micro.py): what a scope costs a request against
  the same query filtered by hand, at 1k, 100k and 1M rows and 5, 14 and 54 tables.
- Over HTTP (PostgreSQL, gunicorn): an action against its fair comparator (a
  hand-written DRF view doing the same token, throttle, validation, insert and audit
  row) and the bare insert; webhook ingest against a view that durably inserts one
  row; A2A; with each request's round trips to the database and Redis counted.
- Webhook latency: from stored to processed, through a real worker's dispatcher.

Variants run interleaved, in a rotating order, with a warm-up round dropped; each
figure is a median over rounds. The port, the database and the Redis databases are
chosen free when it starts, and removed after.
"""

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import jwt
import redis

from bench.calls import a2a_messages, json_post, slack_events
from bench.load import run as load

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
ROLE = "template_bench"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
HTTP_ROUNDS = 5  # the first warms up
HTTP_SECONDS = 4
SLACK_SECRET = "bench-slack-signing-secret"
A2A_SECRET = "bench-a2a-shared-secret-0123456789abcdef"
WEBHOOK_LATENCY_EVENTS = 200


def sh(*args, env=None) -> str:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def psql(sql: str) -> str:
    return sh(
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-qAt",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_redis_databases(count: int) -> list[int]:
    """Redis database numbers holding nothing now (the highest first)."""
    free = []
    for number in range(15, 0, -1):
        if redis.Redis(db=number).dbsize() == 0:
            free.append(number)
        if len(free) == count:
            return free
    raise RuntimeError("No empty Redis databases to run in.")


class Resources:
    """What the run takes for itself, and gives back."""

    def __init__(self):
        self.port = free_port()
        self.database = f"template_bench_{uuid.uuid4().hex[:8]}"
        self.broker_db, self.cache_db = free_redis_databases(2)
        self.sqlite = Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3"

    def env(self, *, engine: str = "postgresql") -> dict:
        database = (
            f"postgres://{ROLE}@127.0.0.1:5432/{self.database}"
            if engine == "postgresql"
            else f"sqlite:///{self.sqlite}"
        )
        return {
            "PATH": str(BIN) + ":/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{self.broker_db}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{self.cache_db}",
            "BENCH_APP_URL": f"http://127.0.0.1:{self.port}",
            "DJANGO_ENV_FILE": "/nonexistent",
        }

    def create(self) -> None:
        psql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}')"
            f" THEN CREATE ROLE {ROLE} LOGIN; END IF; END $$"
        )
        psql(f"ALTER ROLE {ROLE} NOSUPERUSER NOBYPASSRLS")
        psql(f"CREATE DATABASE {self.database} OWNER {ROLE}")
        for engine in ("postgresql", "sqlite"):
            # migrate lays out the roles first, as a release step does
            env = {**self.env(engine=engine), "DATABASE_ADMIN_URL": ADMIN_URL}
            sh(PYTHON, "manage.py", "migrate", "-v0", env=env)

    def remove(self) -> None:
        psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        for number in (self.broker_db, self.cache_db):
            redis.Redis(db=number).flushdb()
        for path in self.sqlite.parent.glob("*"):
            path.unlink()
        self.sqlite.parent.rmdir()


def migrate_and_seed(env) -> dict:
    """Migrate the database `env` names (laying out the roles when it holds
    DATABASE_ADMIN_URL), then `seed` it."""
    sh(PYTHON, "manage.py", "migrate", "-v0", env=env)
    return seed(env)


def seed(env) -> dict:
    """A user with an org, an API token and 50 notes; their email, org and token."""
    code = (
        "import django, json; django.setup()\n"
        "from tests.factories import UserFactory\n"
        "from orgs.services import org_create, active_org_switch\n"
        "from accounts.services import api_token_create\n"
        "from notes.services import note_create\n"
        "from scoping.scopes import scope\n"
        "user = UserFactory(email='bench@example.com')\n"
        "org = org_create(user=user, name='Bench')\n"
        "active_org_switch(user=user, org=org)\n"
        "_, token = api_token_create(user=user, name='bench')\n"
        "with scope(owner_email=user.email, org_id=org.pk):\n"
        "    [note_create(title=f'n{i}') for i in range(50)]\n"
        "print(json.dumps({'email': user.email, 'org': str(org.pk), 'token': token}))\n"
    )
    return json.loads(sh(PYTHON, "-c", code, env=env).strip().splitlines()[-1])


def serve(env, *, port: int, threads: int = 8, output=None):
    """gunicorn with 2 workers on `port`, once /readyz answers 200 (its database,
    broker and cache all answer)."""
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def micro(resources: Resources, engine: str) -> dict:
    output = sh(PYTHON, "-m", "bench.micro", env=resources.env(engine=engine))
    return json.loads(output.strip().splitlines()[-1])


def http(resources: Resources, seed_: dict) -> dict:
    """Each variant, interleaved in rotation over HTTP_ROUNDS rounds."""
    auth = {"Authorization": f"Bearer {seed_['token']}"}
    port = resources.port

    def note(path):
        return lambda i: json_post(path, {"title": f"bench {i}"}, auth)

    def a2a_token() -> str:
        now = int(time.time())
        claims = {
            "iss": "https://bench.example.com",
            "sub": seed_["email"],
            "aud": f"http://127.0.0.1:{port}/a2a/",
            "iat": now,
            "exp": now + 120,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, A2A_SECRET, algorithm="HS256")

    variants = {
        "action": (note("/api/actions/create-note/"), 16),
        "fair": (note("/bench/fair-create-note/"), 16),
        "bare": (note("/bench/bare-create-note/"), 16),
        "ingest": (slack_events(SLACK_SECRET, "bench"), 16),
        "durable": (lambda i: json_post("/bench/durable-insert/", {"i": i}, {}), 16),
        "ceiling": (lambda i: json_post("/bench/ok/", {}, {}), 16),
        "a2a": (a2a_messages(a2a_token, {"limit": 20}), 4),
    }
    names = list(variants)
    seen = {name: [] for name in names}
    for round_ in range(HTTP_ROUNDS):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            make, concurrency = variants[name]
            trips = []
            result = load(
                "127.0.0.1",
                port,
                make,
                concurrency=concurrency,
                seconds=HTTP_SECONDS,
                max_requests=50_000,
                on_response=lambda request, status, headers, body, trips=trips: (
                    trips.append(
                        (
                            int(headers.get("X-DB-Round-Trips", -1)),
                            int(headers.get("X-Redis-Round-Trips", -1)),
                        )
                    )
                ),
            )
            if round_:
                seen[name].append({**result, "trips": trips})
    return {name: _summary(runs) for name, runs in seen.items()}


def _summary(runs: list[dict]) -> dict:
    trips = [trip for run in runs for trip in run["trips"]]
    return {
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
        "non_2xx": sum(n for r in runs for s, n in r["statuses"].items() if s >= 300),
        "errors": sum(r["errors"] for r in runs),
        "db_trips": statistics.median(t[0] for t in trips) if trips else None,
        "redis_trips": statistics.median(t[1] for t in trips) if trips else None,
    }


def webhook_latency(resources: Resources) -> dict:
    """From stored to processed, through a real worker's dispatcher, in ms."""
    env = resources.env()
    # Only this phase's events: those the load above stored are set aside.
    sh(PYTHON, "-c", _SET_ASIDE_EARLIER_EVENTS, env=env)
    worker = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "config.celery_app",
            "worker",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(5)  # the worker and its dispatcher are up
        events = slack_events(SLACK_SECRET, "latency")

        def paced(index):  # 20 a second: a steady stream, not a backlog
            time.sleep(0.05)
            return events(index)

        load(
            "127.0.0.1",
            resources.port,
            paced,
            concurrency=1,
            seconds=60,
            max_requests=WEBHOOK_LATENCY_EVENTS,
        )
        code = (
            "import django, json, time; django.setup()\n"
            "from webhooks.models import WebhookEvent\n"
            "events = WebhookEvent.objects.filter(event_type='message')\n"
            "for _ in range(300):\n"
            "    if not events.exclude(status='processed').exists(): break\n"
            "    time.sleep(0.1)\n"
            "print(json.dumps(sorted((e.processed_at - e.received_at).total_seconds()"
            " * 1000 for e in events.filter(status='processed'))))\n"
        )
        latencies = json.loads(sh(PYTHON, "-c", code, env=env).strip().splitlines()[-1])
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {
        "events": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        "max_ms": round(latencies[-1], 1),
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    postgres = psql("SHOW server_version").strip()
    return (
        f"{cpu}, {len(os.sched_getaffinity(0))} cores, "
        f"{int(memory) // 1024 // 1024} GiB; Python {platform.python_version()}; "
        f"PostgreSQL {postgres}; SQLite {sh(PYTHON, '-c', _SQLITE_VERSION).strip()}"
    )


_SQLITE_VERSION = "import sqlite3; print(sqlite3.sqlite_version)"
_SET_ASIDE_EARLIER_EVENTS = (
    "import django; django.setup()\n"
    "from webhooks.models import WebhookEvent\n"
    "WebhookEvent.objects.all().delete()\n"
)


def main() -> None:
    resources = Resources()
    resources.create()
    try:
        figures = {"micro": {e: micro(resources, e) for e in ("postgresql", "sqlite")}}
        seed_ = seed(resources.env())
        server = serve(resources.env(), port=resources.port)
        try:
            figures["http"] = http(resources, seed_)
            figures["webhook_latency"] = webhook_latency(resources)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        resources.remove()
    from bench.report import write

    print(write(machine(), figures))


if __name__ == "__main__":
    main()
