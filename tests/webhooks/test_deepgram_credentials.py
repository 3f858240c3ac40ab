"""Deepgram's credentials are checked before its body is read: a wrong password is
401 whatever the body, and a body that must carry the secret but is not JSON is 401,
never a parser's exception."""

import json

import pytest

from tests.webhooks import signing as s
from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

DEEPGRAM = BY_NAME["deepgram"]
HUGE = b'{"metadata": {"request_id": "r-1"}, "x": "' + b"x" * (2 * 1024 * 1024) + b'"}'
DEEP = b"[" * 100_000  # Python's json raises RecursionError on it


def _refused(response):
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not WebhookEvent.objects.exists()


def test_a_wrong_password_is_401_before_a_body_over_the_limit_is_read(client):
    # A body read first would be 413: the refusal came before it.
    _refused(post(client, DEEPGRAM, HUGE, s.basic_auth("wrong-password")))


@pytest.mark.parametrize("body", [DEEP, b"\xff\xfe", b"not json", b""])
def test_a_wrong_password_is_401_whatever_the_body(client, body):
    _refused(post(client, DEEPGRAM, body, s.basic_auth("wrong-password")))


def test_a_wrong_password_is_401_even_with_the_secret_echoed_in_the_body(client):
    body = json.dumps(
        {
            "metadata": {
                "request_id": "r-1",
                "extra": {"callback_secret": s.DEEPGRAM_SECRET},
            }
        }
    ).encode()
    _refused(post(client, DEEPGRAM, body, s.basic_auth("wrong-password")))


@pytest.mark.parametrize(
    "authorization", ["Basic !!!not-base64", "Bearer x", "Basic " + "Og=="]
)
def test_a_malformed_authorization_header_is_401(client, authorization):
    body = json.dumps(
        {
            "metadata": {
                "request_id": "r-1",
                "extra": {"callback_secret": s.DEEPGRAM_SECRET},
            }
        }
    ).encode()
    _refused(post(client, DEEPGRAM, body, {"Authorization": authorization}))


@pytest.mark.parametrize("body", [DEEP, b"\xff\xfe", b"not json", b"", b"[NaN]"])
def test_without_a_password_a_body_that_is_not_json_is_401(client, body):
    _refused(post(client, DEEPGRAM, body, {}))


@pytest.mark.parametrize("body", [DEEP, b"\xff\xfe", b"not json"])
def test_with_the_right_password_a_body_that_is_not_json_is_401(client, body):
    _refused(post(client, DEEPGRAM, body, s.basic_auth(s.DEEPGRAM_SECRET)))


def test_the_right_password_with_a_body_over_the_limit_is_413(client):
    response = post(client, DEEPGRAM, HUGE, s.basic_auth(s.DEEPGRAM_SECRET))
    assert response.status_code == 413
    assert not WebhookEvent.objects.exists()
