"""A stored body a handler cannot use ends `dead` at once, with the reason, instead
of being retried until WEBHOOK_MAX_ATTEMPTS: no retry can change a body."""

import json

import pytest

from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME
from webhooks import handlers
from webhooks.models import WebhookEvent
from webhooks.tasks import process_webhook_event

pytestmark = pytest.mark.django_db


def _stored(client, name, body: bytes) -> WebhookEvent:
    provider = BY_NAME[name]
    assert post(client, provider, body, provider.sign(body)).status_code == 200
    return WebhookEvent.objects.get()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"type": "email.received", "data": "x"}, "names no email_id"),
        ({"type": "email.received", "data": {"email_id": ["em_1"]}}, "no email_id"),
        ({"type": "email.received"}, "names no email_id"),
    ],
)
def test_an_inbound_email_event_naming_no_email_is_dead_at_once(
    client, resend_api, payload, reason
):
    resend_api.requests.clear()
    event = _stored(client, "resend-inbound", json.dumps(payload).encode())
    process_webhook_event.run(event.pk)
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("dead", 1)
    assert event.next_attempt_at is None
    assert reason in event.last_error
    assert event.last_error.startswith("UnexpectedPayload")
    assert resend_api.requests == []  # nothing fetched for it


@pytest.fixture
def slack_payload_reader():
    seen = []

    @handlers.handles("slack", "*")
    def read(event):
        seen.append(handlers.event_payload(event))

    yield seen
    handlers.unregister(read)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[" * 100_000, "not JSON"),
        (b"[1, 2]", "a JSON array, not an object"),
        (b'"x"', "a JSON string, not an object"),
        (b"null", "a JSON null, not an object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_dead_at_once(
    client, slack_payload_reader, body, reason
):
    event = _stored(client, "slack", body)
    process_webhook_event.run(event.pk)
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("dead", 1)
    assert reason in event.last_error
    assert slack_payload_reader == []


def test_a_json_object_reaches_the_handler(client, slack_payload_reader):
    event = _stored(client, "slack", b'{"type": "event_callback", "event": "x"}')
    process_webhook_event.run(event.pk)
    event.refresh_from_db()
    assert event.status == "processed"
    assert slack_payload_reader == [{"type": "event_callback", "event": "x"}]
