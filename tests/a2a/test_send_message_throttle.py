"""Every SendMessage counts against the caller's rate with the actions' own throttle,
whatever it asks for: a flood of messages that run nothing is limited too."""

import pytest

from a2a.models import A2ATask
from a2a.rpc import RATE_LIMITED
from scoping.scopes import unscoped
from tests.a2a.test_protocol import call, send

pytestmark = pytest.mark.django_db

TEXT = {"message": {"messageId": "m", "role": "ROLE_USER", "parts": [{"text": "hi"}]}}


@pytest.fixture
def three_a_minute(settings):
    settings.ACTIONS_DEFAULT_THROTTLE_RATE = "3/min"


def assert_throttled(response):
    assert response.status_code == 429
    assert response.json()["error"]["code"] == RATE_LIMITED
    assert int(response["Retry-After"]) >= 1
    [info] = response.json()["error"]["data"]
    assert info["reason"] == "RATE_LIMITED"


def test_a_flood_of_text_messages_is_throttled(client, world, three_a_minute):
    answers = [call(client, world.alice, "SendMessage", TEXT) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert_throttled(answers[-1])
    # Per user: Bob is not limited by Alice's flood.
    assert call(client, world.bob, "SendMessage", TEXT).status_code == 200


def test_a_flood_of_unknown_actions_is_throttled(client, world, three_a_minute):
    for _ in range(3):
        body = send(client, world.alice, "no-such-action", {}).json()
        assert body["error"]["code"] == -32602
    assert_throttled(send(client, world.alice, "no-such-action", {}))


def test_a_flood_of_invalid_params_is_throttled(client, world, three_a_minute):
    for _ in range(3):
        call(client, world.alice, "SendMessage", {"message": 5})
    assert_throttled(call(client, world.alice, "SendMessage", {"message": 5}))


def test_a_throttled_message_runs_and_stores_nothing(client, world, three_a_minute):
    for _ in range(3):
        call(client, world.alice, "SendMessage", TEXT)
    assert_throttled(send(client, world.alice, "create-memo", {"title": "late"}))
    with unscoped(reason="test"):
        assert not A2ATask.objects.exists()
