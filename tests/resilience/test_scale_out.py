"""Scale-out: two app servers (gunicorn, separate processes and ports), two Celery
workers and one beat, on one PostgreSQL reached through pgbouncer in transaction
pooling mode (DATABASE_POOLING=transaction) and one Redis.

pgbouncer has three server connections for all of them, so every server connection
runs one client's transaction after another's, with no reset between: whatever scope
or role a transaction left on it, the next one would inherit. Proven here: no scope
sees another's rows under interleaved load on both servers, and afterwards (and after
a `migrate` through pgbouncer) no pooled server connection carries a scope or a role
other than the app's; per-user action limits count across servers; an A2A token
used on one server is refused on the other; a webhook delivered to both is stored
and processed once; two acceptances of one invitation make one membership; the
dispatchers and beat's sweeper queue each event once. The isolation load also runs
on one server with Django's own psycopg pool (DATABASE_POOLING=pool).
"""

import json
import os
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection

from accounts.services import api_token_create
from tests.factories import UserFactory, member_of
from tests.processes import BASE_DIR, VENV_BIN, AppServer, clean_env, wait_until
from tests.resilience.pgbouncer import Pgbouncer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

APP_URL = "http://app.scale.test"
A2A_SECRET = "scale-out-a2a-secret-0123456789abcdef"
SLACK_SECRET = "scale-out-slack-signing-secret"
POOL_SIZE = 3
ROUNDS = 12  # per scope, each round on both servers


def _redis_url(name: str, fallback: str) -> str | None:
    url = os.environ.get(name) or fallback
    return url if url.startswith("redis://") else None


@pytest.fixture(scope="module")
def bouncer(django_db_setup, django_db_blocker):
    reason = Pgbouncer.why_unavailable()
    if reason is not None:
        pytest.skip(reason)
    with django_db_blocker.unblock():
        database = connection.settings_dict
    server = Pgbouncer(
        upstream_host=database.get("HOST") or "127.0.0.1",
        upstream_port=int(database.get("PORT") or 5432),
        upstream_password=database.get("PASSWORD") or "",
        pool_size=POOL_SIZE,
    )
    server.start(users=[database["USER"]])
    yield server
    server.stop()


def _celery(env, log: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "celery"), "-A", "config.celery_app", *args, "-l", "INFO"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _app_env(database_url: str, **extra: str) -> dict[str, str]:
    cache_url = _redis_url(
        "REDIS_URL", str(django_settings.CACHES["default"].get("LOCATION", ""))
    )
    broker_url = _redis_url("CELERY_BROKER_URL", django_settings.CELERY_BROKER_URL)
    if cache_url is None or broker_url is None:
        pytest.skip("needs Redis as the shared cache and the broker")
    return clean_env(
        DJANGO_SETTINGS_MODULE="tests.resilience.scale_settings",
        DATABASE_URL=database_url,
        REDIS_URL=cache_url,
        CELERY_BROKER_URL=broker_url,
        WEBHOOKS_DISPATCH_POLL_SECONDS="0.2",
        APP_URL=APP_URL,
        A2A_SECRET=A2A_SECRET,
        SLACK_SIGNING_SECRET=SLACK_SECRET,
        ACTIONS_DEFAULT_THROTTLE_RATE="100000/min",
        **extra,
    )


@pytest.fixture(scope="module")
def cluster(bouncer, tmp_path_factory, django_db_blocker):
    folder = tmp_path_factory.mktemp("scale-out")
    with django_db_blocker.unblock():
        database = connection.settings_dict
    queue = f"scale-{uuid.uuid4().hex}"
    env = _app_env(
        bouncer.url(database["USER"], database["NAME"]),
        DATABASE_POOLING="transaction",
        WEBHOOK_QUEUE=queue,
    )
    workers = [
        _celery(
            env,
            folder / f"worker-{name}.log",
            "worker",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
            f"--queues={queue}",
            f"--hostname={name}@scale",
        )
        for name in ("one", "two")
    ]
    beat = _celery(
        env, folder / "beat.log", "beat", "--schedule", str(folder / "beat-schedule")
    )
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(AppServer(env, folder / f"app-{name}.log").start())
        for name in ("one", "two"):
            log = folder / f"worker-{name}.log"
            assert wait_until(lambda log=log: " ready." in log.read_text(), 60), (
                log.read_text()[-3000:]
            )
        yield SimpleNamespace(servers=servers, folder=folder, queue=queue, env=env)
    finally:
        for server in servers:
            server.stop()
        for process in (*workers, beat):
            process.terminate()
        for process in (*workers, beat):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _api(server, token, action, data=None, *, org=None, method="POST"):
    headers = {"Authorization": f"Bearer {token}"}
    if org is not None:
        headers["X-Org"] = str(org)
    return requests.request(
        method,
        f"{server.url}/api/actions/{action}/",
        json=data if method == "POST" else None,
        headers=headers,
        timeout=30,
    )


@pytest.fixture
def people(db):
    """Alice and Carol in Acme, Bob in Bobco, Dave in both: five scopes, each with a
    token, and each org with a folder of its own."""
    from orgs import services as orgs
    from orgs.models import Membership, Role
    from scoping.scopes import scope
    from tests.testapp import services as memos

    alice = UserFactory(email="alice@acme.test")
    acme = orgs.org_create(user=alice, name="Acme")
    bob = UserFactory(email="bob@bobco.test")
    bobco = orgs.org_create(user=bob, name="Bobco")
    carol = member_of(acme, email="carol@acme.test", role=Role.MEMBER)
    dave = member_of(acme, email="dave@both.test", role=Role.MEMBER)
    Membership.objects.create(org=bobco, user=dave, role=Role.MEMBER)
    for owner, org in ((alice, acme), (bob, bobco)):
        with scope(owner_email=owner.email, org_id=org.pk):
            memos.folder_create(name=f"{org.slug} folder")
    scopes = [
        (alice, acme),
        (carol, acme),
        (bob, bobco),
        (dave, acme),
        (dave, bobco),
    ]
    tokens = {
        user.pk: api_token_create(user=user, name="scale")[1]
        for user in (alice, bob, carol, dave)
    }
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        acme=acme,
        bobco=bobco,
        scopes=[(user, org, tokens[user.pk]) for user, org in scopes],
    )


def _tag(user, org) -> str:
    return f"{user.email}|{org.slug}|"


def _interleaved_load(servers, scopes) -> list[str]:
    """Every scope, in a thread of its own, on both servers in turn: creates memos,
    lists them, lists its org's folders and reads through agent SQL. Returns what
    any scope saw that was not its own."""
    leaks = []

    def drive(user, org, token):
        mine = _tag(user, org)
        for round_ in range(ROUNDS):
            for server in servers:
                created = _api(
                    server,
                    token,
                    "create-memo",
                    {"title": f"{mine}{round_}"},
                    org=org.pk,
                )
                assert created.status_code == 200, created.text
                listed = _api(server, token, "list-memos", {"limit": 200}, org=org.pk)
                assert listed.status_code == 200, listed.text
                leaks.extend(
                    f"{mine} saw memo {m['title']}"
                    for m in listed.json()
                    if not m["title"].startswith(mine)
                )
                folders = _api(server, token, "list-folders", {}, org=org.pk)
                assert folders.status_code == 200, folders.text
                leaks.extend(
                    f"{mine} saw folder {f['name']}"
                    for f in folders.json()
                    if f["name"] != f"{org.slug} folder"
                )
                if round_ % 4 == 0:
                    rows = _api(
                        server,
                        token,
                        "db-query",
                        {"sql": "SELECT title, owner_email FROM testapp_memo"},
                        org=org.pk,
                    )
                    assert rows.status_code == 200, rows.text
                    leaks.extend(
                        f"{mine} read {row[0]} through agent SQL"
                        for row in rows.json()["rows"]
                        if not row[0].startswith(mine)
                    )

    with ThreadPoolExecutor(max_workers=len(scopes)) as pool:
        for future in [pool.submit(drive, *scope) for scope in scopes]:
            future.result()
    return leaks


def _pooled_connections_are_clean(bouncer, database) -> list[tuple]:
    """What each of pgbouncer's server connections carries now: one transaction per
    server connection, all open at once, so each runs on a different one."""
    barrier = threading.Barrier(POOL_SIZE)
    seen = []

    def look():
        with psycopg.connect(
            host="127.0.0.1",
            port=bouncer.port,
            user=database["USER"],
            dbname=database["NAME"],
            prepare_threshold=None,
        ) as raw:
            row = raw.execute(
                "SELECT current_user, session_user, "
                "NULLIF(current_setting('scoping.owner_email', true), ''), "
                "NULLIF(current_setting('scoping.org_id', true), ''), "
                "(SELECT count(*) FROM testapp_memo), pg_backend_pid()"
            ).fetchone()
            seen.append(row)
            barrier.wait(timeout=30)  # hold this server connection till all looked

    threads = [threading.Thread(target=look) for _ in range(POOL_SIZE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seen


def test_no_scope_sees_another_across_servers_through_pgbouncer(
    bouncer, cluster, people
):
    leaks = _interleaved_load(cluster.servers, people.scopes)
    assert leaks == []

    # Every memo landed in its own scope.
    from scoping.scopes import unscoped
    from tests.testapp.models import Memo

    with unscoped(reason="test", audit=False):
        rows = list(Memo.objects.values_list("title", "owner_email", "org__slug"))
    assert len(rows) == len(people.scopes) * ROUNDS * 2
    for title, owner, org in rows:
        assert title.startswith(f"{owner}|{org}|")

    # A release step's migrate through pgbouncer: its owner role is session state,
    # kept in one transaction (one server connection) from start to end.
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr[-3000:]

    # The pooled server connections carry no scope and run as the app's role.
    database = connection.settings_dict
    seen = _pooled_connections_are_clean(bouncer, database)
    assert len({row[5] for row in seen}) == POOL_SIZE  # every server connection
    for user, session_user, owner, org, memos, _ in seen:
        assert (user, session_user) == (database["USER"], database["USER"])
        assert (owner, org) == (None, None)
        assert memos == 0  # outside any scope: no row


@pytest.fixture(scope="module")
def pooled_server(tmp_path_factory, django_db_setup, django_db_blocker):
    """One app server on Django's own psycopg pool, straight to PostgreSQL: its four
    threads share two connections."""
    from tests.processes import test_database_url

    with django_db_blocker.unblock():
        url = test_database_url()
    env = _app_env(url, DATABASE_POOLING="pool", DATABASE_POOL_MAX_SIZE="2")
    server = AppServer(env, tmp_path_factory.mktemp("pooled") / "app.log").start()
    yield server
    server.stop()


def test_no_scope_sees_another_on_djangos_pool(pooled_server, people):
    assert _interleaved_load([pooled_server], people.scopes) == []


def _both_at_once(calls) -> list:
    """Run `calls` (one per server) at the same moment; their results, in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [future.result() for future in [pool.submit(run, c) for c in calls]]


def test_a_users_action_limit_counts_across_servers(cluster, people):
    # db-query allows 60 calls a minute per user: the two servers share the count.
    _, org, token = people.scopes[0]
    statuses = [
        _api(
            cluster.servers[i % 2],
            token,
            "db-query",
            {"sql": "SELECT count(*) FROM testapp_memo"},
            org=org.pk,
        ).status_code
        for i in range(70)
    ]
    assert statuses.count(200) == 60
    assert statuses[60:] == [429] * 10


def _a2a(server, token):
    from tests.a2a.conftest import action_message

    return requests.post(
        f"{server.url}/a2a/",
        json={
            "jsonrpc": "2.0",
            "id": "1",
            "method": "SendMessage",
            "params": action_message("list-memos", {}),
        },
        headers={"Authorization": f"Bearer {token}", "A2A-Version": "1.0"},
        timeout=30,
    )


def test_an_a2a_token_used_on_one_server_is_refused_on_the_other(
    cluster, people, settings
):
    from a2a.tokens import sign

    settings.APP_URL = APP_URL

    def token():
        return sign(sub=people.alice.email, aud=f"{APP_URL}/a2a/", secret=A2A_SECRET)

    used = token()
    first = _a2a(cluster.servers[0], used)
    assert first.status_code == 200, first.text
    assert "error" not in first.json(), first.text
    replay = _a2a(cluster.servers[1], used)
    assert replay.status_code == 401, replay.text
    # The other server takes a fresh token: what it refused was the replay.
    fresh = _a2a(cluster.servers[1], token())
    assert fresh.status_code == 200, fresh.text
    assert "error" not in fresh.json(), fresh.text


def _processed(event_ids) -> bool:
    from webhooks.models import WebhookEvent

    events = WebhookEvent.objects.filter(pk__in=event_ids)
    return all(event.status == "processed" for event in events)


def _queued_counts(event_ids) -> dict:
    from django.core.cache import cache

    from tests.resilience.publish_probe import queued_key

    return {pk: cache.get(queued_key(pk)) for pk in event_ids}


def test_a_webhook_delivered_to_both_servers_is_stored_and_processed_once(cluster):
    from bench.calls import slack_events
    from webhooks.models import WebhookEvent

    _, path, body, headers = slack_events(SLACK_SECRET, "scale")(0)
    answers = _both_at_once(
        [
            lambda server=server: requests.post(
                f"{server.url}{path}", data=body, headers=headers, timeout=30
            )
            for server in cluster.servers
        ]
    )
    statuses = sorted(answer.status_code for answer in answers)
    # A duplicate delivery is a 200 that stores nothing (the provider stops).
    assert statuses == [200, 200], [answer.text for answer in answers]
    events = WebhookEvent.objects.filter(event_id=json.loads(body)["event_id"])
    assert events.count() == 1
    event_ids = list(events.values_list("pk", flat=True))
    assert wait_until(lambda: _processed(event_ids), 60), _logs(cluster)
    assert events.get().attempts == 1
    assert _queued_counts(event_ids) == {event_ids[0]: 1}


def test_two_acceptances_of_one_invitation_on_two_servers_make_one_membership(
    cluster, people, celery_eager
):
    from accounts.models import AuditEvent
    from orgs import services as orgs
    from orgs.models import Membership

    frank = UserFactory(email="frank@new.test")
    invitation = orgs.invitation_create(
        org=people.acme, actor=people.alice, email=frank.email
    )
    _, token = api_token_create(user=frank, name="scale")
    answers = _both_at_once(
        [
            lambda server=server: _api(
                server, token, "accept-invitation", {"invitation": invitation.pk}
            )
            for server in cluster.servers
        ]
    )
    statuses = sorted(answer.status_code for answer in answers)
    texts = [answer.text for answer in answers]
    assert statuses[0] == 200, texts
    assert 400 <= statuses[1] < 500, texts
    assert Membership.objects.filter(org=people.acme, user=frank).count() == 1
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_the_dispatchers_and_the_sweeper_queue_each_event_once(cluster):
    from webhooks.services import events_store
    from webhooks.verifiers.base import InboundEvent

    body = json.dumps({"type": "event_callback", "event": {"type": "message"}})
    stored = events_store(
        provider="slack",
        events=[
            InboundEvent(f"EvSweep{index}", "message", body.encode())
            for index in range(40)
        ],
        headers={},
    )
    event_ids = [event.pk for event in stored]
    assert len(event_ids) == 40
    assert wait_until(lambda: _processed(event_ids), 90), _logs(cluster)
    from webhooks.models import WebhookEvent

    attempts = set(
        WebhookEvent.objects.filter(pk__in=event_ids).values_list("attempts", flat=True)
    )
    assert attempts == {1}
    assert set(_queued_counts(event_ids).values()) == {1}
    # Beat's sweeper ran alongside the workers' dispatchers.
    assert "sweep-webhook-events" in (cluster.folder / "beat.log").read_text()


def _logs(cluster) -> str:
    return "\n".join(
        f"--- {log.name}\n{log.read_text()[-2000:]}"
        for log in sorted(cluster.folder.glob("*.log"))
    )
