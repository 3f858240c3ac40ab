"""Each provider: a realistic body (non-ASCII too) and how the provider signs it."""

import base64
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.webhooks import signing as s


def _json(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


@dataclass
class Provider:
    name: str
    payload: Callable[[], object]
    sign: Callable[[bytes], dict]
    # How the expected event id is read from the body and headers.
    event_id: Callable[[dict, dict], str]
    # The header holding the credential, to drop or spoil in tests.
    credential_header: str
    timestamp_header: str | None = None
    body_signed: bool = True
    path: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.path or f"/webhooks/{self.name}/"


PROVIDERS = [
    Provider(
        "resend",
        lambda: {
            "type": "email.delivered",
            "data": {"email_id": secrets.token_hex(6), "subject": "Grüße"},
        },
        lambda body: s.svix_headers(s.SVIX_SECRET, body),
        lambda payload, headers: headers["svix-id"],
        "svix-signature",
        "svix-timestamp",
    ),
    Provider(
        "resend-inbound",
        lambda: {
            "type": "email.received",
            "data": {
                "email_id": secrets.token_hex(6),
                "from": "José <jose@example.com>",
            },
        },
        lambda body: s.svix_headers(s.RESEND_INBOUND_SECRET, body),
        lambda payload, headers: headers["svix-id"],
        "svix-signature",
        "svix-timestamp",
    ),
    Provider(
        "sendgrid",
        lambda: [
            {
                "sg_event_id": secrets.token_hex(8),
                "event": "delivered",
                "email": "zoë@example.com",
            }
        ],
        s.sendgrid_headers,
        lambda payload, headers: payload[0]["sg_event_id"],
        "X-Twilio-Email-Event-Webhook-Signature",
        "X-Twilio-Email-Event-Webhook-Timestamp",
    ),
    Provider(
        "slack",
        lambda: {
            "type": "event_callback",
            "event_id": f"Ev{secrets.token_hex(5)}",
            "event": {"type": "message", "text": "héllo 👋"},
        },
        s.slack_headers,
        lambda payload, headers: payload["event_id"],
        "X-Slack-Signature",
        "X-Slack-Request-Timestamp",
    ),
    Provider(
        "telegram",
        lambda: {"update_id": secrets.randbelow(10**9), "message": {"text": "привет"}},
        lambda body: {"X-Telegram-Bot-Api-Secret-Token": s.TELEGRAM_SECRET},
        lambda payload, headers: str(payload["update_id"]),
        "X-Telegram-Bot-Api-Secret-Token",
        body_signed=False,
    ),
    Provider(
        "whatsapp",
        lambda: {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "changes": [
                        {
                            "value": {
                                "messages": [
                                    {
                                        "id": f"wamid.{secrets.token_hex(6)}",
                                        "text": {"body": "olá"},
                                    }
                                ]
                            }
                        }
                    ]
                }
            ],
        },
        s.whatsapp_headers,
        lambda payload, headers: (
            "message:" + payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
        ),
        "X-Hub-Signature-256",
    ),
    Provider(
        "recall",
        lambda: {"event": "bot.status_change", "data": {"status": "joined — ok"}},
        lambda body: s.svix_headers(s.RECALL_SECRET, body, prefix="webhook"),
        lambda payload, headers: headers["webhook-id"],
        "webhook-signature",
        "webhook-timestamp",
    ),
    Provider(
        "deepgram",
        lambda: {
            "metadata": {"request_id": secrets.token_hex(8), "extra": {}},
            "results": {"transcript": "ça va"},
        },
        lambda body: s.basic_auth(s.DEEPGRAM_SECRET),
        lambda payload, headers: payload["metadata"]["request_id"],
        "Authorization",
        body_signed=False,
    ),
    Provider(
        "zoom",
        lambda: {
            "event": "meeting.started",
            "event_ts": secrets.randbelow(10**12),
            "payload": {"object": {"topic": "Réunion"}},
        },
        s.zoom_headers,
        lambda payload, headers: None,  # Zoom sends none: the body's hash is used
        "x-zm-signature",
        "x-zm-request-timestamp",
    ),
    Provider(
        "pubsub",
        lambda: {
            "message": {
                "messageId": str(secrets.randbelow(10**12)),
                "data": base64.b64encode("é".encode()).decode(),
                "attributes": {"eventType": "drive.file.updated"},
            },
            "subscription": "projects/p/subscriptions/s",
        },
        lambda body: {"Authorization": f"Bearer {s.google_token()}"},
        lambda payload, headers: payload["message"]["messageId"],
        "Authorization",
        body_signed=False,
    ),
]

BY_NAME = {provider.name: provider for provider in PROVIDERS}

# How each provider that signs a timestamp signs a body at a given one.
SIGN_AT = {
    "resend": lambda body, at: s.svix_headers(s.SVIX_SECRET, body, timestamp=at),
    "resend-inbound": lambda body, at: s.svix_headers(
        s.RESEND_INBOUND_SECRET, body, timestamp=at
    ),
    "recall": lambda body, at: s.svix_headers(
        s.RECALL_SECRET, body, prefix="webhook", timestamp=at
    ),
    "sendgrid": lambda body, at: s.sendgrid_headers(body, timestamp=at),
    "slack": lambda body, at: s.slack_headers(body, timestamp=at),
    "zoom": lambda body, at: s.zoom_headers(body, timestamp=at),
}


def signed(provider: Provider, payload=None):
    """(body, headers) as the provider would send them."""
    body = _json(payload if payload is not None else provider.payload())
    return body, provider.sign(body)
