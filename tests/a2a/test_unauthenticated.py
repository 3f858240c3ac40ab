"""A refused or missing identity: HTTP 401 with an RFC 6750 Bearer challenge, a
JSON-RPC code of its own (not TaskNotFound's), and the same answer whichever method
was asked."""

import pytest

from a2a.rpc import AUTHENTICATION, TASK_NOT_FOUND
from tests.a2a.conftest import action_message, rpc

pytestmark = pytest.mark.django_db

METHODS = {
    "SendMessage": action_message("create-memo", {"title": "x"}),
    "GetTask": {"id": "00000000-0000-0000-0000-000000000000"},
    "ListTasks": {},
    "CancelTask": {"id": "00000000-0000-0000-0000-000000000000"},
}


def answer(response) -> tuple:
    return (
        response.status_code,
        response.json()["error"]["code"],
        response.get("WWW-Authenticate"),
    )


def test_the_identity_code_is_not_task_not_found():
    assert AUTHENTICATION != TASK_NOT_FOUND


@pytest.mark.parametrize("method", METHODS)
def test_no_token_is_a_bearer_challenge(client, world, method):
    response = rpc(client, method, METHODS[method])
    assert answer(response) == (401, AUTHENTICATION, 'Bearer realm="a2a"')
    [info] = response.json()["error"]["data"]
    assert info["reason"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("method", METHODS)
def test_a_refused_token_is_an_invalid_token_challenge(client, world, method):
    response = rpc(client, method, METHODS[method], token="a.b.c")
    assert answer(response) == (
        401,
        AUTHENTICATION,
        'Bearer realm="a2a", error="invalid_token"',
    )


def test_with_no_identity_reading_tasks_is_refused_as_sending_is(
    client, settings, world
):
    """A2A open (DEBUG, no secret): an action that needs a person is refused with
    401, and so are GetTask, ListTasks and CancelTask — not "no tasks" or "not
    found"."""
    settings.A2A_SECRET = ""
    settings.DEBUG = True
    answers = {
        method: answer(rpc(client, method, params))
        for method, params in METHODS.items()
    }
    assert set(answers.values()) == {(401, AUTHENTICATION, 'Bearer realm="a2a"')}
