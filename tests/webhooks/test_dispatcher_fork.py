"""A process forked while the dispatcher thread runs (a Celery pool child, say) is a
working process: it does not inherit a lock the thread held at the fork."""

import os
import signal
import sqlite3
import time
import warnings

import pytest

from webhooks.dispatcher import Dispatcher

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FORKS = 400


def _fork_a_child_that_uses_sqlite() -> int:
    with warnings.catch_warnings():
        # Python warns that a fork of a threaded process may deadlock: the point.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: one query, then out, whatever happens
        try:
            sqlite3.connect(":memory:").execute("select 1").fetchall()
        finally:
            os._exit(0)
    return pid


def _exited(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return True
        time.sleep(0.01)
    return False


def test_children_forked_while_the_dispatcher_works_can_query():
    # No wait between rounds: the thread is inside the database nearly all the time.
    dispatcher = Dispatcher(poll_seconds=0)
    dispatcher.start()
    hung = 0
    try:
        for _ in range(FORKS):
            pid = _fork_a_child_that_uses_sqlite()
            if not _exited(pid, seconds=20):
                hung += 1
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=60)
    assert hung == 0, f"{hung} of {FORKS} children hung"
