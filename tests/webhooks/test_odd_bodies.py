"""A correctly signed body of an unexpected shape is stored (2xx, so the provider
does not send it again) or, for a handshake, answered 400; never a 500."""

import hashlib
import json

import pytest

from tests.webhooks import signing as s
from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

DEEP = b"[" * 100_000  # Python's json cannot parse it: RecursionError
NOT_UTF8 = b"\xff\xfe\x00junk"


def _j(value) -> bytes:
    return json.dumps(value).encode()


STORED = [
    ("slack", _j({"type": "event_callback", "event": "x"})),
    ("slack", _j({"type": "event_callback", "event": {"type": ["x"]}})),
    ("slack", _j(["x", 1])),
    ("slack", _j("x")),
    ("slack", _j(5)),
    ("slack", b"null"),
    ("slack", NOT_UTF8),
    ("slack", DEEP),
    ("slack", b"command=%2Fdeploy&text=now"),  # a slash command: a signed form
    ("slack", b'{"event_id": "\\ud800", "event": {"type": "a\\u0000b"}}'),
    ("whatsapp", _j({"entry": ["x"]})),
    ("whatsapp", _j({"entry": 5})),
    ("whatsapp", _j({"entry": [{"changes": "x"}]})),
    ("whatsapp", _j({"entry": [{"changes": [{"value": {"messages": ["x", 3]}}]}]})),
    ("whatsapp", _j({"entry": [{"changes": [{"value": {"statuses": [{}]}}]}]})),
    ("whatsapp", DEEP),
    ("zoom", _j({"event": ["meeting.started"]})),
    ("zoom", _j([1, 2])),
    ("zoom", NOT_UTF8),
    ("resend", _j(None)),
    ("resend", _j({"type": {"x": 1}})),
    ("resend-inbound", _j({"type": "email.received", "data": "x"})),
    ("recall", _j([])),
    ("recall", DEEP),
    ("sendgrid", _j({"not": "a batch"})),
    ("sendgrid", _j([1, "x", None, {"sg_event_id": ["x"], "event": {}}])),
    ("sendgrid", NOT_UTF8),
    ("telegram", _j([1])),
    ("telegram", _j({"message": {"text": "no update_id"}})),
    ("telegram", _j({"update_id": {"nested": True}})),
    ("telegram", NOT_UTF8),
    ("pubsub", _j({"message": "x"})),
    ("pubsub", _j({"message": {"messageId": None, "attributes": ["x"]}})),
    ("pubsub", _j(["x"])),
    ("deepgram", _j({"metadata": "x"})),
    ("deepgram", _j({"metadata": {"request_id": ["r"]}})),
    ("deepgram", _j([1, 2])),
]


@pytest.mark.parametrize(
    ("name", "body"), STORED, ids=[f"{n}-{i}" for i, (n, _) in enumerate(STORED)]
)
def test_a_signed_body_of_any_shape_is_stored(client, name, body):
    provider = BY_NAME[name]
    response = post(client, provider, body, provider.sign(body))
    assert response.status_code == 200, response.content
    assert response.json()["new"] >= 1
    for event in WebhookEvent.objects.all():
        assert "\x00" not in event.event_type
        assert event.event_id


def test_an_odd_body_is_kept_whole_under_its_hash(client):
    body = _j({"type": "event_callback", "event": "x"})
    post(client, BY_NAME["slack"], body, s.slack_headers(body))
    event = WebhookEvent.objects.get()
    assert event.event_id == hashlib.sha256(body).hexdigest()
    assert event.event_type == "event_callback"
    assert bytes(event.body) == body


def test_sendgrid_inbound_that_is_not_a_form_is_stored(client):
    response = client.post(
        f"/webhooks/sendgrid-inbound/{s.SENDGRID_INBOUND}/",
        b"--nope\r\nnot multipart at all",
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 200
    assert WebhookEvent.objects.count() == 1


HANDSHAKES = [
    ("slack", {"type": "url_verification"}),
    ("slack", {"type": "url_verification", "challenge": ["c"]}),
    ("slack", {"type": "url_verification", "challenge": "\ud800"}),
    ("zoom", {"event": "endpoint.url_validation", "payload": ["x"]}),
    ("zoom", {"event": "endpoint.url_validation", "payload": {}}),
    ("zoom", {"event": "endpoint.url_validation", "payload": {"plainToken": 7.5}}),
    ("zoom", {"event": "endpoint.url_validation", "payload": {"plainToken": "\ud800"}}),
]


@pytest.mark.parametrize(("name", "payload"), HANDSHAKES)
def test_a_malformed_handshake_is_400_and_stores_nothing(client, name, payload):
    body = _j(payload)
    response = post(client, BY_NAME[name], body, BY_NAME[name].sign(body))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert not WebhookEvent.objects.exists()


def test_methods_other_than_get_and_post_are_405_in_the_envelope(client):
    response = client.put("/webhooks/slack/", b"{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, POST"
    get = client.get("/webhooks/slack/")
    assert (get.status_code, get["Allow"]) == (405, "POST")
