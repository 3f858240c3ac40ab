"""What is particular to each provider: handshakes, batches, retries, credentials."""

import hashlib
import hmac
import json

import pytest

from tests.webhooks import signing as s
from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME, signed
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def test_slack_url_verification_is_answered_only_when_signed(client):
    body = json.dumps({"type": "url_verification", "challenge": "c-123"}).encode()
    ok = post(client, BY_NAME["slack"], body, s.slack_headers(body))
    assert ok.json() == {"challenge": "c-123"}
    forged = post(client, BY_NAME["slack"], body, {"X-Slack-Signature": "v0=00"})
    assert forged.status_code == 401
    assert not WebhookEvent.objects.exists()


def test_slack_retries_are_acknowledged_without_reprocessing(client):
    provider = BY_NAME["slack"]
    body, headers = signed(provider)
    post(client, provider, body, headers)
    retry = post(
        client, provider, body, {**s.slack_headers(body), "X-Slack-Retry-Num": "1"}
    )
    assert retry.status_code == 200
    assert WebhookEvent.objects.count() == 1


def test_zoom_url_validation(client):
    body = json.dumps(
        {"event": "endpoint.url_validation", "payload": {"plainToken": "p-1"}}
    ).encode()
    response = post(client, BY_NAME["zoom"], body, s.zoom_headers(body))
    expected = hmac.new(s.ZOOM_SECRET.encode(), b"p-1", hashlib.sha256).hexdigest()
    assert response.json() == {"plainToken": "p-1", "encryptedToken": expected}
    assert not WebhookEvent.objects.exists()


def test_whatsapp_handshake_echoes_the_challenge_only_for_the_token(client):
    handshake = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    ok = client.get(
        "/webhooks/whatsapp/", {**handshake, "hub.verify_token": s.WHATSAPP_VERIFY}
    )
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    bad = client.get(
        "/webhooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
    )
    assert bad.status_code == 403


def test_whatsapp_keeps_each_status_of_a_message(client):
    """Meta sends sent, delivered and read as three statuses with the message's id."""
    provider = BY_NAME["whatsapp"]

    def status(state):
        value = {"statuses": [{"id": "wamid.1", "status": state}]}
        return {"entry": [{"changes": [{"value": value}]}]}

    for state in ("sent", "delivered", "read", "read"):
        body, headers = signed(provider, status(state))
        assert post(client, provider, body, headers).status_code == 200
    events = WebhookEvent.objects.order_by("event_id")
    assert list(events.values_list("event_id", "event_type")) == [
        ("status:wamid.1:delivered", "status"),
        ("status:wamid.1:read", "status"),
        ("status:wamid.1:sent", "status"),
    ]


def test_sendgrid_batches_are_stored_per_event_and_deduplicated(client):
    provider = BY_NAME["sendgrid"]
    batch = [
        {"sg_event_id": "a1", "event": "delivered"},
        {"sg_event_id": "b2", "event": "open"},
    ]
    body, headers = signed(provider, batch)
    assert post(client, provider, body, headers).json() == {"received": 2, "new": 2}
    overlap = [{"sg_event_id": "b2", "event": "open"}, {"sg_event_id": "c3"}]
    body, headers = signed(provider, overlap)
    assert post(client, provider, body, headers).json() == {"received": 2, "new": 1}
    assert sorted(WebhookEvent.objects.values_list("event_id", flat=True)) == [
        "a1",
        "b2",
        "c3",
    ]


INBOUND = {
    "headers": "Message-ID: <abc@mail.example.com>\nSubject: Héllo\n",
    "from": "José <jose@example.com>",
    "to": "inbox@app.example.com",
    "text": "Bonjour",
}


@pytest.mark.parametrize("where", ["path", "basic-auth"])
def test_sendgrid_inbound_parse_takes_its_secret_in_the_path_or_basic_auth(
    client, where
):
    if where == "path":
        response = client.post(
            f"/webhooks/sendgrid-inbound/{s.SENDGRID_INBOUND}/", INBOUND
        )
    else:
        response = client.post(
            "/webhooks/sendgrid-inbound/",
            INBOUND,
            headers=s.basic_auth(s.SENDGRID_INBOUND),
        )
    assert response.status_code == 200
    assert WebhookEvent.objects.get().event_id == "<abc@mail.example.com>"
    again = client.post(f"/webhooks/sendgrid-inbound/{s.SENDGRID_INBOUND}/", INBOUND)
    assert again.json()["new"] == 0


def test_sendgrid_inbound_with_a_wrong_secret_is_refused(client):
    assert client.post("/webhooks/sendgrid-inbound/wrong/", INBOUND).status_code == 401
    assert client.post("/webhooks/sendgrid-inbound/", INBOUND).status_code == 401
    assert not WebhookEvent.objects.exists()


def test_deepgram_accepts_the_secret_echoed_in_metadata(client):
    extra = {"callback_secret": s.DEEPGRAM_SECRET}
    payload = {"metadata": {"request_id": "r-1", "extra": extra}}
    body = json.dumps(payload).encode()
    assert post(client, BY_NAME["deepgram"], body, {}).status_code == 200
    payload["metadata"]["extra"]["callback_secret"] = "guess"
    payload["metadata"]["request_id"] = "r-2"
    forged = json.dumps(payload).encode()
    assert post(client, BY_NAME["deepgram"], forged, {}).status_code == 401
    assert WebhookEvent.objects.count() == 1


def test_recall_also_accepts_legacy_svix_headers(client):
    body = json.dumps({"event": "bot.done"}).encode()
    headers = s.svix_headers(s.RECALL_SECRET, body, prefix="svix")
    assert post(client, BY_NAME["recall"], body, headers).status_code == 200
    assert WebhookEvent.objects.get().event_id == headers["svix-id"]


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "https://other.example.com/"},
        {"email": "someone@project.iam.gserviceaccount.com"},
        {"email_verified": False},
        {"iss": "https://evil.example.com"},
        {"exp": 1},
    ],
    ids=["audience", "account", "unverified", "issuer", "expired"],
)
def test_pubsub_refuses_tokens_not_for_us(client, claims):
    provider = BY_NAME["pubsub"]
    body = json.dumps(provider.payload()).encode()
    token = s.google_token(**claims)
    response = post(client, provider, body, {"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_pubsub_refuses_a_token_signed_with_another_key(client):
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(
        {
            "aud": s.PUBSUB_AUDIENCE,
            "email": s.PUBSUB_ACCOUNT,
            "email_verified": True,
            "iss": "accounts.google.com",
            "iat": 1,
            "exp": 9_999_999_999,
        },
        other,
        algorithm="RS256",
        headers={"kid": s.GOOGLE_KID},
    )
    provider = BY_NAME["pubsub"]
    body = json.dumps(provider.payload()).encode()
    assert (
        post(client, provider, body, {"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_bodies_over_the_limit_are_413(client, settings):
    provider = BY_NAME["telegram"]
    body = json.dumps(
        {"update_id": 1, "message": {"text": "x" * (1024 * 1024)}}
    ).encode()
    response = post(client, provider, body, provider.sign(body))
    assert response.status_code == 413
    assert not WebhookEvent.objects.exists()


def test_webhooks_need_no_sign_in_and_no_csrf(client):
    from django.test import Client

    provider = BY_NAME["telegram"]
    body, headers = signed(provider)
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, provider, body, headers).status_code == 200


def test_sendgrid_inbound_past_djangos_upload_limit_is_stored(client, settings):
    """A message with a 3 MB attachment: within SendGrid's 30 MB, past Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE; stored (under its Message-ID), not an HTML 400
    that SendGrid would retry for days."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = SimpleUploadedFile("report.pdf", b"%PDF" + b"x" * (3 * 1024 * 1024))
    assert attachment.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        f"/webhooks/sendgrid-inbound/{s.SENDGRID_INBOUND}/",
        {**INBOUND, "attachment1": attachment},
    )
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.event_id == "<abc@mail.example.com>"
    assert len(bytes(event.body)) > 3 * 1024 * 1024
