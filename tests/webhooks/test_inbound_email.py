"""Resend inbound mail: the view stores the event; the task fetches the message."""

import pytest

from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME, signed
from webhooks import services
from webhooks.inbound import inbound_email_received
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def test_the_view_stores_and_the_task_fetches(client, resend_api, celery_eager):
    resend_api.requests.clear()
    received = []

    def on_email(sender, email, event, **kwargs):
        received.append(email)

    inbound_email_received.connect(on_email)
    provider = BY_NAME["resend-inbound"]
    payload = {"type": "email.received", "data": {"email_id": "em_123"}}
    body, headers = signed(provider, payload)
    try:
        response = post(client, provider, body, headers)
        assert response.status_code == 200
        assert resend_api.requests == []  # nothing fetched while answering
        services.events_dispatch()  # as a worker's dispatcher does
    finally:
        inbound_email_received.disconnect(on_email)
    assert resend_api.requests == [("/emails/receiving/em_123", "Bearer re_test_key")]
    assert received == [{"id": "em_123", "subject": "Hé", "text": "hi"}]
    assert WebhookEvent.objects.get().status == "processed"
