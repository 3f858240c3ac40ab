"""The dispatcher: queues stored webhook events, outside the request that stored them.

A thread in every Celery worker (a worker bootstep, so `make run` and a deployment
start it with the worker). It queues what is due (`services.events_dispatch`), then
waits: on PostgreSQL until a stored event's NOTIFY (sent at commit by a trigger) or
WEBHOOK_DISPATCH_POLL_SECONDS, elsewhere for that long. Behind a transaction-pooling
pgbouncer (DATABASE_POOLING=transaction) it polls instead: LISTEN is session state,
left on whichever server connection ran it (which then serves other clients), and
pgbouncer does not pass the notifications on. Several workers may run one
each: an event is reserved before it is queued, and processed once whatever happens.
Beat runs the same dispatch every minute as a safety net.

The worker's main process forks the pool's children while this thread runs, and a
child gets every lock as it was at the fork: one held by this thread, which the child
does not have, stays held forever. A child forked while the thread was inside SQLite
hung at its first query, in SQLite's allocator mutex; the task never ran and the
worker never finished its warm shutdown. So the thread does all its work holding
`_fork_guard`, which every fork of the process takes first: a fork waits until the
thread is between rounds, where it only sleeps, in Python or in the kernel.
"""

import functools
import logging
import os
import select
import threading
import time

from celery import bootsteps

logger = logging.getLogger(__name__)

CHANNEL = "webhook_events"  # the trigger of migration 0003 notifies it

_fork_guard = threading.Lock()
# A round stuck longer than this (a database that stopped answering) does not hold
# the pool's forks any longer: the fork goes ahead, with the risk it has always had.
FORK_WAIT_SECONDS = 30
_forking = threading.local()


def _before_fork() -> None:
    _forking.guarded = _fork_guard.acquire(timeout=FORK_WAIT_SECONDS)


def _after_fork() -> None:
    # In the parent and in the child alike: the forking thread (the child's only
    # one) is the one that took it.
    if getattr(_forking, "guarded", False):
        _forking.guarded = False
        _fork_guard.release()


@functools.cache
def _guard_forks() -> None:
    """From now on, a fork of this process waits for the dispatcher to be idle."""
    os.register_at_fork(
        before=_before_fork, after_in_parent=_after_fork, after_in_child=_after_fork
    )


class Dispatcher(threading.Thread):
    def __init__(self, *, poll_seconds: float):
        super().__init__(name="webhook-dispatcher", daemon=True)
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()
        self.listener = None

    def run(self) -> None:
        from django.db import close_old_connections, connection

        from webhooks import services

        _guard_forks()
        try:
            while not self.stopping.is_set():
                with _fork_guard:
                    try:
                        services.events_dispatch()
                    except Exception:  # the database or broker is away: try again
                        logger.exception("webhook dispatch failed; trying again")
                        close_old_connections()
                self._wait(connection)
        finally:
            with _fork_guard:
                self._stop_listening()
                connection.close()

    def stop(self) -> None:
        self.stopping.set()

    def _wait(self, connection) -> None:
        from django.conf import settings

        if connection.vendor != "postgresql" or settings.DATABASE_POOLING == (
            "transaction"
        ):
            self.stopping.wait(self.poll_seconds)
            return
        try:
            with _fork_guard:
                listener = self._listening(connection)
            # Woken at once by a stored event; the timeout is a safety net only.
            # Waited in slices of a second at most, so stopping is prompt, and in
            # the kernel (select), where a fork may happen.
            deadline = time.monotonic() + self.poll_seconds * 10
            while not self.stopping.is_set() and time.monotonic() < deadline:
                left = min(1.0, max(deadline - time.monotonic(), 0.01))
                if select.select([listener.fileno()], [], [], left)[0]:
                    with _fork_guard:  # take what arrived; wait no longer
                        for _ in listener.notifies(timeout=0):
                            pass
                    return
        except Exception:
            logger.exception("webhook dispatcher lost its LISTEN; polling meanwhile")
            with _fork_guard:
                self._stop_listening()
            self.stopping.wait(self.poll_seconds)

    def _listening(self, connection):
        """A connection of its own, in autocommit, LISTENing on the channel."""
        import psycopg

        if self.listener is None or self.listener.closed:
            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            self.listener = psycopg.connect(**params, autocommit=True)
            self.listener.execute(f"LISTEN {CHANNEL}")
        return self.listener

    def _stop_listening(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None


class DispatcherStep(bootsteps.StartStopStep):
    """Starts the dispatcher with the worker and stops it with the worker.

    After the pool, so its first children are forked before the thread exists, and
    stopped before it, so nothing is queued while the pool drains."""

    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.dispatcher = None

    def start(self, worker) -> None:
        from webhooks.app_settings import app_settings

        if not app_settings.DISPATCHER:
            return
        self.dispatcher = Dispatcher(poll_seconds=app_settings.DISPATCH_POLL_SECONDS)
        self.dispatcher.start()

    def stop(self, worker) -> None:
        if self.dispatcher is not None:
            self.dispatcher.stop()
            self.dispatcher.join(timeout=5)
