"""Inbound email from Resend: the webhook names the email; the task fetches it.

The view never calls out (it must answer within the provider's deadline); this handler
runs in the Celery task, fetches the message from Resend's Receiving API, and sends
`inbound_email_received` with it. Connect to that signal to act on inbound mail.
"""

from urllib.parse import quote

import requests
from django.dispatch import Signal

from webhooks.app_settings import app_settings
from webhooks.handlers import UnexpectedPayload, event_payload, handles
from webhooks.verifiers.base import mapping, text

# Sent with `email`: Resend's JSON for the received message (from, to, subject, text,
# html, headers, attachments…), and `event`: the WebhookEvent.
inbound_email_received = Signal()


class InboundFetchError(Exception):
    """Resend did not give the message; the event is retried with backoff."""


@handles("resend-inbound", "email.received")
def fetch_resend_inbound_email(event) -> None:
    email_id = text(mapping(event_payload(event).get("data")).get("email_id"))
    if not email_id:
        raise UnexpectedPayload("the event names no email_id")
    if not app_settings.RESEND_API_KEY:
        raise InboundFetchError("RESEND_API_KEY is not set")
    response = requests.get(
        # Quoted, so that the id, whatever it holds, stays one segment of the path.
        f"{app_settings.RESEND_API_URL.rstrip('/')}/emails/receiving/"
        f"{quote(email_id, safe='')}",
        headers={"Authorization": f"Bearer {app_settings.RESEND_API_KEY}"},
        timeout=10,
    )
    if response.status_code != 200:
        raise InboundFetchError(f"Resend answered {response.status_code}")
    inbound_email_received.send(sender="resend", email=response.json(), event=event)
