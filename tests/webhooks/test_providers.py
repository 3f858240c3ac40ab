"""Each provider's own signing scheme: the real thing passes, every forgery fails."""

import hashlib
import json

import pytest

from tests.webhooks.conftest import post
from tests.webhooks.providers import PROVIDERS, SIGN_AT, signed
from webhooks import services
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

by_name = pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)


def _expected_id(provider, body, headers):
    event_id = provider.event_id(json.loads(body), headers)
    return event_id or hashlib.sha256(body).hexdigest()


def _refused(response):
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not WebhookEvent.objects.exists()


@by_name
def test_a_correctly_signed_request_is_stored_and_processed(
    client, provider, celery_eager
):
    body, headers = signed(provider)
    response = post(client, provider, body, headers)
    assert response.status_code == 200, response.content
    assert services.events_dispatch() == 1  # as a worker's dispatcher does
    event = WebhookEvent.objects.get()
    assert (event.provider, event.event_id) == (
        provider.name,
        _expected_id(provider, body, headers),
    )
    assert event.status == "processed"
    assert event.attempts == 1
    assert "Authorization" not in event.headers


@by_name
def test_a_wrong_credential_is_refused(client, provider):
    body, headers = signed(provider)
    value = headers[provider.credential_header]
    headers[provider.credential_header] = value[:-2] + (
        "AA" if value[-2:] != "AA" else "BB"
    )
    _refused(post(client, provider, body, headers))


@by_name
def test_a_missing_credential_is_refused(client, provider):
    body, headers = signed(provider)
    del headers[provider.credential_header]
    _refused(post(client, provider, body, headers))


@pytest.mark.parametrize(
    "provider", [p for p in PROVIDERS if p.timestamp_header], ids=lambda p: p.name
)
def test_a_stale_timestamp_is_refused(client, provider):
    from tests.webhooks import signing

    old = str(int(signing.now()) - 6 * 60)
    body = json.dumps(provider.payload()).encode()
    _refused(post(client, provider, body, SIGN_AT[provider.name](body, old)))


@pytest.mark.parametrize(
    "provider", [p for p in PROVIDERS if p.body_signed], ids=lambda p: p.name
)
def test_a_body_changed_by_one_byte_is_refused(client, provider):
    body, headers = signed(provider)
    changed = body[:-2] + bytes([body[-2] ^ 1]) + body[-1:]
    _refused(post(client, provider, changed, headers))


@pytest.mark.parametrize(
    "provider", [p for p in PROVIDERS if p.body_signed], ids=lambda p: p.name
)
def test_a_non_ascii_body_signed_in_another_encoding_is_refused(client, provider):
    """Verification is on the raw UTF-8 bytes, not on a re-serialized body."""
    payload = provider.payload()
    sent = json.dumps(payload, ensure_ascii=False).encode()
    escaped = json.dumps(payload, ensure_ascii=True).encode()
    assert sent != escaped  # the body does hold non-ASCII text
    _refused(post(client, provider, sent, provider.sign(escaped)))


@by_name
def test_a_duplicate_is_200_and_stores_one_row(client, provider):
    body, headers = signed(provider)
    assert post(client, provider, body, headers).status_code == 200
    again = post(client, provider, body, headers)
    assert again.status_code == 200
    assert again.json()["new"] == 0
    assert WebhookEvent.objects.count() == 1


@by_name
def test_an_unconfigured_provider_answers_exactly_like_a_bad_signature(
    client, provider, settings
):
    body, headers = signed(provider)
    bad = dict(headers)
    bad[provider.credential_header] = "x"
    forged = post(client, provider, body, bad)
    from webhooks.verifiers import VERIFIERS

    for name in VERIFIERS[provider.name].secret_settings:
        setattr(settings, f"WEBHOOKS_{name}", "")
    unconfigured = post(client, provider, body, headers)
    assert (unconfigured.status_code, unconfigured.content) == (
        forged.status_code,
        forged.content,
    )
    unknown = client.post("/webhooks/nobody/", body, content_type="application/json")
    assert (unknown.status_code, unknown.content) == (401, forged.content)
    assert not WebhookEvent.objects.exists()
