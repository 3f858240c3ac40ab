import pytest

from tests.webhooks import signing as s


@pytest.fixture(scope="session")
def google_certs():
    with s.JwksServer() as server:
        yield server.url


@pytest.fixture(autouse=True)
def webhook_secrets(settings, google_certs):
    settings.RESEND_WEBHOOK_SECRET = s.SVIX_SECRET
    settings.RESEND_INBOUND_WEBHOOK_SECRET = s.RESEND_INBOUND_SECRET
    settings.RECALL_WEBHOOK_SECRET = s.RECALL_SECRET
    settings.SENDGRID_WEBHOOK_PUBLIC_KEY = s.SENDGRID_PUBLIC
    settings.SENDGRID_INBOUND_SECRET = s.SENDGRID_INBOUND
    settings.SLACK_SIGNING_SECRET = s.SLACK_SECRET
    settings.TELEGRAM_WEBHOOK_SECRET = s.TELEGRAM_SECRET
    settings.WHATSAPP_APP_SECRET = s.WHATSAPP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = s.WHATSAPP_VERIFY
    settings.DEEPGRAM_CALLBACK_SECRET = s.DEEPGRAM_SECRET
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = s.ZOOM_SECRET
    settings.PUBSUB_PUSH_AUDIENCE = s.PUBSUB_AUDIENCE
    settings.PUBSUB_PUSH_SERVICE_ACCOUNT = s.PUBSUB_ACCOUNT
    settings.PUBSUB_CERTS_URL = google_certs


def post(client, provider, body: bytes, headers: dict, content_type="application/json"):
    return client.post(provider.url, body, content_type=content_type, headers=headers)
