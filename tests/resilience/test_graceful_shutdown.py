"""SIGTERM to gunicorn under load (what a deploy or a scale-down sends): every
request sent before the signal gets its whole answer, none is cut, and every write
answered 2xx is in the database afterwards.

gunicorn runs as production runs it (2 workers, threads, a graceful timeout) on the
suite's PostgreSQL; client threads on kept-alive connections send writes through an
action and slow writes (tests/testapp/views.py: a request still running when the
signal comes), and keep sending after it: those may be refused, never half-answered.
"""

import http.client
import json
import signal
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.services import api_token_create
from scoping.scopes import scope
from tests.processes import AppServer, clean_env, test_database_url, wait_until
from tests.testapp.models import Memo
from tests.testapp.views import SLOW_SECONDS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

WRITERS, SLOW_WRITERS = 6, 4
ACCEPTED = {200, 201}


@dataclass
class Answer:
    path: str
    sent_at: float  # once the request's bytes were handed to the kernel
    answered_at: float | None = None
    status: int | None = None
    body: bytes = b""
    error: str | None = None


@pytest.fixture
def server(tmp_path):
    env = clean_env(
        DJANGO_SETTINGS_MODULE="tests.testapp.settings",
        DATABASE_URL=test_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        ACTIONS_DEFAULT_THROTTLE_RATE="1000000/min",
    )
    app = AppServer(
        env, tmp_path / "gunicorn.log", workers=2, threads=4, graceful_timeout=30
    )
    app.start()
    yield app
    app.stop()


def _client(port, make_request, answers, lock, signalled):
    """Sends requests one after another on one kept-alive connection; after the
    signal, stops at the first refused or dropped one."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while True:
        method, path, body, headers = make_request()
        answer = None
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = Answer(path, sent_at=time.monotonic())
            response = connection.getresponse()
            answer.body = response.read()
            answer.status = response.status
            answer.answered_at = time.monotonic()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            answer = answer or Answer(path, sent_at=time.monotonic())
            answer.error = type(error).__name__
        with lock:
            answers.append(answer)
        if answer.error and signalled.is_set():
            return


def test_sigterm_under_load_finishes_every_request_in_flight(server, world):
    _, token = api_token_create(user=world.alice, name="shutdown")
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def memo():
        title = f"shutdown {uuid.uuid4().hex}"
        body = json.dumps({"title": title})
        return "POST", "/api/actions/create-memo/", body, api

    def slow_write():
        return "POST", f"/test/slow-write/{uuid.uuid4().hex}/", b"", {}

    answers, lock, signalled = [], threading.Lock(), threading.Event()
    clients = [
        threading.Thread(
            target=_client,
            args=(server.port, make, answers, lock, signalled),
            daemon=True,
        )
        for make in [memo] * WRITERS + [slow_write] * SLOW_WRITERS
    ]
    for client in clients:
        client.start()

    # Under load: writes answered and a round of slow writes done, the next round
    # halfway through (each slow client sends its next one at once).
    def loaded():
        with lock:
            done = [a for a in answers if a.status in ACCEPTED]
        return sum(a.path.startswith("/test/slow-write/") for a in done) >= 1 and (
            len(done) >= 20
        )

    assert wait_until(loaded, 60), answers
    time.sleep(SLOW_SECONDS / 2)
    signalled_at = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    signalled.set()

    server.process.wait(timeout=90)
    for client in clients:
        client.join(timeout=90)
    log = server.log.read_text()
    assert server.process.returncode == 0, log
    assert not any(client.is_alive() for client in clients)

    before = [a for a in answers if a.sent_at < signalled_at]
    # Every request sent before the signal got its whole answer, and a good one.
    assert [a for a in before if a.error or a.status not in ACCEPTED] == []
    # Some of them were still running when the signal came, slow writes among them.
    in_flight = [a for a in before if a.answered_at > signalled_at]
    assert any(a.path.startswith("/test/slow-write/") for a in in_flight), in_flight
    # After the signal a request may be refused, never answered with an error.
    after = [a for a in answers if a.sent_at >= signalled_at]
    assert all(a.error or a.status in ACCEPTED for a in after), after

    # Every write acknowledged, before or after the signal, is stored.
    acknowledged = [a for a in answers if a.status in ACCEPTED]
    memo_ids = {
        json.loads(a.body)["id"]
        for a in acknowledged
        if a.path == "/api/actions/create-memo/"
    }
    groups = {
        json.loads(a.body)["name"]
        for a in acknowledged
        if a.path.startswith("/test/slow-write/")
    }
    assert memo_ids
    assert groups
    with scope(owner_email=world.alice.email, org_id=world.acme.pk):
        stored_memos = set(
            Memo.objects.filter(pk__in=memo_ids).values_list("pk", flat=True)
        )
    assert stored_memos == memo_ids
    stored_groups = set(
        Group.objects.filter(name__in=groups).values_list("name", flat=True)
    )
    assert stored_groups == groups
