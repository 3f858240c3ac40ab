"""Processing: handlers, retries with backoff, dead letters, claims, dispatching."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery_app import app as celery_app
from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME, signed
from webhooks import handlers, services
from webhooks.app_settings import app_settings
from webhooks.models import WebhookEvent
from webhooks.tasks import process_webhook_event, sweep_webhook_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def slack_event(client):
    provider = BY_NAME["slack"]
    body, headers = signed(provider)
    post(client, provider, body, headers)
    return WebhookEvent.objects.get()


@pytest.fixture
def handler():
    """Register a handler for Slack messages for one test."""
    registered = []

    def register(function):
        handlers.handles("slack", "message")(function)
        registered.append(function)
        return function

    yield register
    for function in registered:
        handlers.unregister(function)


def _run_until_settled(event_id, settings):
    """Run the task and its retries in-process, as a worker would, without waiting."""
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0
    for _ in range(app_settings.MAX_ATTEMPTS + 2):
        WebhookEvent.objects.filter(pk=event_id).update(next_attempt_at=None)
        process_webhook_event.run(event_id)
        event = WebhookEvent.objects.get(pk=event_id)
        if event.status in ("processed", "dead"):
            return event
    return event


def test_handlers_receive_the_event(slack_event, handler, settings):
    seen = []
    handler(lambda event: seen.append(json.loads(bytes(event.body))["event"]["text"]))
    event = _run_until_settled(slack_event.pk, settings)
    assert event.status == "processed"
    assert seen == ["héllo 👋"]


def test_a_handler_failing_twice_then_succeeding_ends_processed_after_3(
    slack_event, handler, settings
):
    calls = []

    @handler
    def flaky(event):
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("upstream timed out")

    event = _run_until_settled(slack_event.pk, settings)
    assert (event.status, event.attempts, event.last_error) == ("processed", 3, "")


def test_a_handler_that_always_fails_ends_dead_with_its_error(
    slack_event, handler, settings
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 4

    @handler
    def broken(event):
        raise ValueError("cannot parse")

    event = _run_until_settled(slack_event.pk, settings)
    assert (event.status, event.attempts) == ("dead", 4)
    assert event.last_error == "ValueError: cannot parse"


def test_retries_back_off_exponentially_with_jitter(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 10
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 3600
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (12, 3600)]:
        delays = {services.retry_delay(attempts) for _ in range(50)}
        assert all(0 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jitter


def test_a_claimed_event_cannot_be_claimed_again(slack_event):
    assert services.event_claim(slack_event.pk) is not None
    assert services.event_claim(slack_event.pk) is None
    assert WebhookEvent.objects.get().attempts == 1


def test_a_processed_event_is_not_processed_again(slack_event, handler, settings):
    calls = []
    handler(lambda event: calls.append(1))
    _run_until_settled(slack_event.pk, settings)
    process_webhook_event.run(slack_event.pk)
    assert calls == [1]


class Broker:
    """Switch the Celery app between its real broker and one that is down."""

    URL_KEYS = ("broker_url", "broker_read_url", "broker_write_url")

    def __init__(self, settings):
        self.saved = {key: celery_app.conf[key] for key in self.URL_KEYS}
        self.saved_options = celery_app.conf.broker_transport_options
        self.retry_options = settings.CELERY_PUBLISH_RETRY_OPTIONS

    def stop(self):
        # A port nothing listens on: a real refused connection, quickly.
        for key in self.URL_KEYS:
            celery_app.conf[key] = "amqp://guest:guest@127.0.0.1:9//"
        celery_app.conf.broker_transport_options = self.retry_options
        self._drop_pools()

    def start(self):
        for key, value in self.saved.items():
            celery_app.conf[key] = value
        celery_app.conf.broker_transport_options = self.saved_options
        self._drop_pools()

    def _drop_pools(self):
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    broker = Broker(settings)
    yield broker
    broker.start()


def _deliver_queued(queue: str) -> int:
    """Take what the broker holds on `queue` and run it, as a worker would."""
    delivered = 0
    with celery_app.connection_for_read() as connection:
        simple = connection.SimpleQueue(queue)
        try:
            while True:
                try:
                    message = simple.get(timeout=2)
                except simple.Empty:
                    return delivered
                args, kwargs, _ = message.decode()
                assert message.headers["task"] == "webhooks.tasks.process_webhook_event"
                process_webhook_event.run(*args, **kwargs)
                message.ack()
                delivered += 1
        finally:
            simple.close()


def _dispatch_is_due_again():
    """Let a refused event's wait (WEBHOOK_DISPATCH_RETRY_SECONDS) pass at once."""
    WebhookEvent.objects.update(queued_at=None)


@pytest.mark.django_db(transaction=True)
def test_the_answer_never_waits_for_the_broker(client, broker, monkeypatch):
    """Nothing is published while the provider waits: storing the row is all."""
    published = []
    monkeypatch.setattr(
        process_webhook_event, "apply_async", lambda *a, **k: published.append(a)
    )
    broker.stop()
    provider = BY_NAME["slack"]
    body, headers = signed(provider)
    assert post(client, provider, body, headers).status_code == 200
    assert published == []
    assert WebhookEvent.objects.get().status == "received"


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_event_is_kept_and_dispatched_after(
    client, settings, handler, broker
):
    settings.WEBHOOKS_QUEUE = f"webhooks-{uuid.uuid4().hex}"
    seen = []
    handler(lambda event: seen.append(event.event_id))
    broker.stop()
    provider = BY_NAME["slack"]
    body, headers = signed(provider)
    response = post(client, provider, body, headers)
    assert response.status_code == 200  # answered although nothing could be queued
    assert WebhookEvent.objects.get().status == "received"

    assert services.events_dispatch() == 0  # still down: nothing queued, nothing lost
    assert WebhookEvent.objects.get().status == "received"
    assert services.events_dispatch() == 0  # it waits before trying again

    broker.start()
    _dispatch_is_due_again()
    assert sweep_webhook_events.run() == 1  # beat's safety net is the same dispatch
    assert _deliver_queued(settings.WEBHOOKS_QUEUE) == 1
    event = WebhookEvent.objects.get()
    assert (event.status, event.attempts) == ("processed", 1)
    assert seen == [event.event_id]


@pytest.mark.django_db(transaction=True)
def test_stuck_events_are_queued_again(handler, celery_eager):
    seen = []
    handler(lambda event: seen.append(event.event_id))
    now = timezone.now()
    for status, when in [
        ("received", {"queued_at": now - timedelta(minutes=5)}),  # message lost
        ("processing", {"next_attempt_at": now - timedelta(minutes=1)}),  # worker died
        ("failed", {"next_attempt_at": now - timedelta(minutes=1)}),  # retry lost
    ]:
        WebhookEvent.objects.create(
            provider="slack",
            event_id=f"stuck-{status}",
            event_type="message",
            body=b"{}",
            status=status,
            **when,
        )
    assert services.events_dispatch() == 3
    assert sorted(seen) == ["stuck-failed", "stuck-processing", "stuck-received"]
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_a_queued_event_is_not_queued_again_before_its_time(slack_event, broker):
    assert services.events_dispatch() == 1
    assert services.events_dispatch() == 0  # its message is on its way
    WebhookEvent.objects.update(queued_at=timezone.now() - timedelta(minutes=5))
    assert services.events_dispatch() == 1  # that message was lost


def test_a_failed_events_own_retry_is_waited_for(slack_event, broker):
    """A failed event whose retry was queued (with its delay) is not queued again
    until that retry is overdue."""
    now = timezone.now()
    WebhookEvent.objects.update(
        status="failed", next_attempt_at=now - timedelta(seconds=1), queued_at=now
    )
    assert services.events_dispatch() == 0
    WebhookEvent.objects.update(queued_at=now - timedelta(minutes=5))
    assert services.events_dispatch() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_200_while_the_broker_is_down_is_processed_exactly_once(
    client, settings, handler, broker
):
    settings.WEBHOOKS_QUEUE = f"webhooks-{uuid.uuid4().hex}"
    seen = []
    handler(lambda event: seen.append(event.event_id))
    provider = BY_NAME["slack"]
    broker.stop()
    statuses = set()
    for _ in range(200):
        body, headers = signed(provider)
        statuses.add(post(client, provider, body, headers).status_code)
    assert statuses == {200}
    assert services.events_dispatch() == 0
    assert WebhookEvent.objects.filter(status="received").count() == 200

    broker.start()
    _dispatch_is_due_again()
    assert services.events_dispatch() == 200
    assert services.events_dispatch() == 0  # queued already: not due again yet
    delivered = 0
    while delivered < 200:
        got = _deliver_queued(settings.WEBHOOKS_QUEUE)
        if not got:
            break
        delivered += got
    assert delivered == 200
    assert WebhookEvent.objects.filter(status="processed").count() == 200
    assert sorted(seen) == sorted(
        WebhookEvent.objects.values_list("event_id", flat=True)
    )
