"""`make bench`: reproducible benchmarks on the local PostgreSQL; writes bench/REPORT.md.

Everything runs on this machine: a throwaway database owned by an ordinary role,
gunicorn serving the app, and load from this (second) process over loopback, bounded in
time and count. Each figure is the median of several runs; ratios are measured side by
side in the same run.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import jwt

from bench.calls import a2a_messages, json_post, slack_events
from bench.load import run as load

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
ROLE, DATABASE, PORT = "template_bench", "template_bench", 8765
RUNS = 3
SLACK_SECRET = "bench-slack-signing-secret"
A2A_SECRET = "bench-a2a-shared-secret-0123456789abcdef"


def sh(*args, env=None, capture=True) -> str:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=capture, text=True, check=True
    )
    return result.stdout if capture else ""


def psql(sql: str) -> None:
    sh(
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql,
    )


def environment() -> dict:
    return {
        "PATH": str(BIN) + ":/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"postgres://{ROLE}@127.0.0.1:5432/{DATABASE}",
        # migrate lays out the roles first, as a release step does
        "DATABASE_ADMIN_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
        "REDIS_URL": "redis://127.0.0.1:6379/11",
        "DJANGO_ENV_FILE": "/nonexistent",
    }


def prepare(env) -> dict:
    psql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') "
        f"THEN CREATE ROLE {ROLE} LOGIN; END IF; END $$"
    )
    psql(f"ALTER ROLE {ROLE} NOSUPERUSER NOBYPASSRLS")
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")
    return migrate_and_seed(env)


def migrate_and_seed(env) -> dict:
    """Migrate the database `env` names and add a user, an org, an API token and 50
    notes; returns the user's email, the org's id and the token."""
    sh(PYTHON, "manage.py", "migrate", "-v0", env=env)
    seed = (
        "import django, json; django.setup()\n"
        "from tests.factories import UserFactory\n"
        "from orgs.services import org_create\n"
        "from accounts.services import api_token_create\n"
        "from notes.services import note_create\n"
        "from scoping.scopes import scope\n"
        "user = UserFactory(email='bench@example.com')\n"
        "org = org_create(user=user, name='Bench')\n"
        "_, token = api_token_create(user=user, name='bench')\n"
        "with scope(owner_email=user.email, org_id=org.pk):\n"
        "    [note_create(title=f'n{i}') for i in range(50)]\n"
        "print(json.dumps({'email': user.email, 'org': str(org.pk), 'token': token}))\n"
    )
    return json.loads(sh(PYTHON, "-c", seed, env=env).strip().splitlines()[-1])


def serve(env, *, port=PORT, threads=8, output=None):
    """gunicorn with 2 workers on `port`, once /healthz answers 200."""
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
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def median_of_runs(make_request, *, concurrency=16, seconds=8, max_requests=20000):
    runs = [
        load(
            "127.0.0.1",
            PORT,
            make_request,
            concurrency=concurrency,
            seconds=seconds,
            max_requests=max_requests,
        )
        for _ in range(RUNS)
    ]
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "non_2xx": sum(n for r in runs for s, n in r["statuses"].items() if s >= 300),
        "errors": sum(r["errors"] for r in runs),
    }


def a2a_token(email: str) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://bench.example.com",
        "sub": email,
        "aud": f"http://127.0.0.1:{PORT}/a2a/",
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, A2A_SECRET, algorithm="HS256")


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
    postgres = sh(
        "psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"
    )
    return (
        f"{cpu}, {len(os.sched_getaffinity(0))} cores, "
        f"{int(memory) // 1024 // 1024} GiB; Python {platform.python_version()}; "
        f"PostgreSQL {postgres.strip()}"
    )


def main() -> None:
    env = environment()
    seed = prepare(env)
    micro = json.loads(
        sh(PYTHON, "-m", "bench.micro", seed["email"], seed["org"], env=env)
        .strip()
        .splitlines()[-1]
    )
    server = serve(env)
    try:
        auth = {"Authorization": f"Bearer {seed['token']}"}
        results = {
            "actions": median_of_runs(
                lambda i: json_post(
                    "/api/actions/create-note/", {"title": f"bench {i}"}, auth
                )
            ),
            "plain_drf": median_of_runs(
                lambda i: json_post(
                    "/bench/plain-create-note/", {"title": f"bench {i}"}, auth
                )
            ),
            "webhook": median_of_runs(slack_events(SLACK_SECRET, "bench")),
            "ceiling": median_of_runs(
                lambda i: (
                    "POST",
                    "/bench/ok/",
                    "{}",
                    {"Content-Type": "application/json"},
                )
            ),
            "a2a": median_of_runs(
                a2a_messages(lambda: a2a_token(seed["email"]), {"limit": 20}),
                concurrency=4,
            ),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(machine(), micro, results)


def report(machine_line: str, micro: dict, results: dict) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine_line}.",
        "Load comes from a second process over loopback; each HTTP figure is the median "
        f"of {RUNS} runs (8 s or 20 000 requests each); gunicorn 2 workers × 8 threads.",
        "",
        "## 1. Scoping overhead per request (PostgreSQL, in process)",
        "",
        "One request = one transaction: enter the scope, list 20 notes. *Unscoped* is "
        "the same query filtered by hand with the policies off; *anchor* creates and "
        "drops a temp view per scoped table per request, as agent-native does.",
        "",
        "| extra scoped tables | scoped tables | unscoped ms | ours ms | anchor ms "
        "| ours / unscoped | anchor / ours |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in micro["scoping"]:
        lines.append(
            f"| {row['extra_tables']} | {row['scoped_tables']} | {row['unscoped_ms']} | "
            f"{row['ours_ms']} | {row['anchor_ms']} | "
            f"{row['ours_ms'] / row['unscoped_ms']:.2f} | "
            f"{row['anchor_ms'] / row['ours_ms']:.1f} |"
        )
    actions, plain = results["actions"], results["plain_drf"]
    webhook, ceiling = results["webhook"], results["ceiling"]
    lines += [
        "",
        "## 2. Actions: `POST /api/actions/create-note/` (concurrency 16)",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|",
        _row("create-note action", actions),
        _row("plain DRF APIView, same insert", plain),
        "",
        f"Action / plain throughput: {actions['rps'] / plain['rps']:.2f}. The action "
        "adds validation, the registry, the runner's savepoint and an audit row.",
        "",
        "## 3. Webhook ingest: signed Slack event (concurrency 16)",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|",
        _row("verify + store + enqueue", webhook),
        _row("a view that returns 200", ceiling),
        "",
        f"Ingest / ceiling throughput: {webhook['rps'] / ceiling['rps']:.2f}.",
        "",
        "## 4. A2A",
        "",
        f"JWT verification (HS256, claims, single-use jti in Redis): "
        f"{micro['jwt_verify_ms']} ms per call.",
        "",
        "| call | req/s | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|",
        _row("SendMessage → list-notes (concurrency 4)", results["a2a"]),
        "",
    ]
    (ROOT / "bench" / "REPORT.md").write_text("\n".join(lines))
    print("\n".join(lines))


def _row(name: str, r: dict) -> str:
    return f"| {name} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['non_2xx']} |"


if __name__ == "__main__":
    main()
