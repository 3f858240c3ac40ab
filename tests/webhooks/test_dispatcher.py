"""The dispatcher queues stored events outside the request: woken by NOTIFY on
PostgreSQL, polling elsewhere; started with every Celery worker."""

import time

import pytest
from django.db import connection

from config.celery_app import app as celery_app
from tests.processes import wait_until
from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME, signed
from webhooks.dispatcher import CHANNEL, Dispatcher, DispatcherStep
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stored_event_is_queued_and_processed_by_the_dispatcher(client, celery_eager):
    # A long poll on PostgreSQL: only the NOTIFY can wake it in time.
    dispatcher = Dispatcher(
        poll_seconds=0.2 if connection.vendor != "postgresql" else 5
    )
    dispatcher.start()
    try:
        time.sleep(0.3)  # listening
        provider = BY_NAME["slack"]
        body, headers = signed(provider)
        assert post(client, provider, body, headers).status_code == 200
        assert wait_until(lambda: WebhookEvent.objects.get().status == "processed")
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=60)
    assert not dispatcher.is_alive()


@pytest.mark.postgres
def test_storing_an_event_notifies_the_dispatcher(client):
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        provider = BY_NAME["slack"]
        body, headers = signed(provider)
        post(client, provider, body, headers)
        notes = list(listener.notifies(timeout=5, stop_after=1))
    assert [note.channel for note in notes] == [CHANNEL]


def test_every_worker_starts_a_dispatcher():
    assert DispatcherStep in celery_app.steps["worker"]


def test_the_dispatcher_can_be_turned_off(settings):
    settings.WEBHOOKS_DISPATCHER = False
    step = DispatcherStep.__new__(DispatcherStep)
    step.dispatcher = None
    step.start(worker=None)
    assert step.dispatcher is None


@pytest.mark.postgres
def test_behind_transaction_pooling_the_dispatcher_polls_without_listen(
    client, celery_eager, settings
):
    # LISTEN through a transaction-pooling pgbouncer stays on a server connection
    # other clients then use, and its notifications never arrive.
    settings.DATABASE_POOLING = "transaction"
    dispatcher = Dispatcher(poll_seconds=0.2)
    dispatcher.start()
    try:
        provider = BY_NAME["slack"]
        body, headers = signed(provider)
        assert post(client, provider, body, headers).status_code == 200
        assert wait_until(lambda: WebhookEvent.objects.get().status == "processed")
        assert dispatcher.listener is None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN %%'"
            )
            assert cursor.fetchone()[0] == 0
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=60)
