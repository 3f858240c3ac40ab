import json
import os
import signal
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.webhooks import signing as s


@pytest.fixture(scope="session")
def google_certs():
    with s.JwksServer() as server:
        yield server.url


class FakeResend:
    """Resend's Receiving API on loopback; records what the task asked for."""

    def __init__(self):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, self.headers.get("Authorization")))
                email_id = self.path.rsplit("/", 1)[-1]
                body = json.dumps({"id": email_id, "subject": "Hé", "text": "hi"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="session")
def resend_api():
    api = FakeResend()
    yield api
    api.server.shutdown()
    api.server.server_close()


@pytest.fixture(autouse=True)
def webhook_secrets(settings, google_certs, resend_api):
    settings.WEBHOOKS_RESEND_API_URL = resend_api.url
    settings.WEBHOOKS_RESEND_API_KEY = "re_test_key"
    settings.WEBHOOKS_RESEND_WEBHOOK_SECRET = s.SVIX_SECRET
    settings.WEBHOOKS_RESEND_INBOUND_WEBHOOK_SECRET = s.RESEND_INBOUND_SECRET
    settings.WEBHOOKS_RECALL_WEBHOOK_SECRET = s.RECALL_SECRET
    settings.WEBHOOKS_SENDGRID_WEBHOOK_PUBLIC_KEY = s.SENDGRID_PUBLIC
    settings.WEBHOOKS_SENDGRID_INBOUND_SECRET = s.SENDGRID_INBOUND
    settings.WEBHOOKS_SLACK_SIGNING_SECRET = s.SLACK_SECRET
    settings.WEBHOOKS_TELEGRAM_WEBHOOK_SECRET = s.TELEGRAM_SECRET
    settings.WEBHOOKS_WHATSAPP_APP_SECRET = s.WHATSAPP_SECRET
    settings.WEBHOOKS_WHATSAPP_VERIFY_TOKEN = s.WHATSAPP_VERIFY
    settings.WEBHOOKS_DEEPGRAM_CALLBACK_SECRET = s.DEEPGRAM_SECRET
    settings.WEBHOOKS_ZOOM_WEBHOOK_SECRET_TOKEN = s.ZOOM_SECRET
    settings.WEBHOOKS_PUBSUB_PUSH_AUDIENCE = s.PUBSUB_AUDIENCE
    settings.WEBHOOKS_PUBSUB_PUSH_SERVICE_ACCOUNT = s.PUBSUB_ACCOUNT
    settings.WEBHOOKS_PUBSUB_CERTS_URL = google_certs


def post(client, provider, body: bytes, headers: dict, content_type="application/json"):
    return client.post(provider.url, body, content_type=content_type, headers=headers)


def stop_worker(process: subprocess.Popen, *, seconds: float = 30) -> None:
    """Stop a Celery worker as a deployment does (SIGTERM: warm shutdown). One still
    running after `seconds` fails the test, and is killed with its pool's children,
    so no stray worker outlives the test holding its database."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        children = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        for child in children:
            os.kill(int(child), signal.SIGKILL)
        process.kill()
        process.wait()
        raise AssertionError(
            f"the worker was still running {seconds} s after SIGTERM"
        ) from None
