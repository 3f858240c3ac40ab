"""A secret sent through A2A is used, and kept nowhere: not in the task's arguments or
history (GetTask, db-query), not in the audit log, not in the logs."""

import json
import logging

import pytest

from a2a.models import A2ATask
from accounts import secrets
from accounts.models import AuditEvent
from scoping.scopes import unscoped
from tests.a2a.test_protocol import call, send
from tests.scopes import as_

pytestmark = pytest.mark.django_db

SECRET = "sk_live_a2a_0123456789abcdef"


def _stored_everywhere(world) -> str:
    """Every place a task's arguments could be kept, as one text."""
    with unscoped(reason="test: where a secret could hide"):
        tasks = list(A2ATask.objects.values("arguments", "request_message", "result"))
        audit = list(AuditEvent.objects.values("metadata"))
    return json.dumps([tasks, audit], default=str)


@pytest.mark.parametrize("configuration", [{}, {"returnImmediately": True}])
def test_a_secret_set_over_a2a_is_stored_only_encrypted(
    client, world, caplog, configuration
):
    caplog.set_level(logging.DEBUG)
    response = send(
        client,
        world.alice,
        "set-secret",
        {"name": "OPENAI_KEY", "value": SECRET},
        **configuration,
    )
    task = response.json()["result"]["task"]
    # A task holding a secret runs at once, even when asked to return at once: a
    # worker would only have its redacted arguments.
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    assert SECRET not in response.content.decode()
    with as_(world.alice, world.acme):
        assert (
            secrets.resolve_secret("OPENAI_KEY", user=world.alice, org=world.acme)
            == SECRET
        )
    fetched = call(client, world.alice, "GetTask", {"id": task["id"]})
    assert SECRET not in fetched.content.decode()
    assert (
        fetched.json()["result"]["history"][0]["parts"][0]["data"]["arguments"]["value"]
        == "[redacted]"
    )
    assert SECRET not in _stored_everywhere(world)
    assert SECRET not in caplog.text


def test_db_query_cannot_read_a_secret_back_from_the_tasks(client, world):
    send(client, world.alice, "set-secret", {"name": "K", "value": SECRET})
    answer = send(
        client,
        world.alice,
        "db-query",
        {"sql": "SELECT arguments, request_message FROM a2a_a2atask"},
    )
    rows = answer.json()["result"]["task"]["artifacts"][0]["parts"][0]["data"]["rows"]
    assert rows
    assert SECRET not in json.dumps(rows)


def test_secret_looking_arguments_of_any_action_are_kept_redacted(client, world):
    """The memo itself holds what Alice wrote; the task's copy of the call does not."""
    send(client, world.alice, "create-memo", {"title": f"api_key={SECRET}"})
    with unscoped(reason="test"):
        task = A2ATask.objects.get(action="create-memo")
    assert task.arguments == {"title": "api_key=[redacted]"}
    assert SECRET not in json.dumps(task.request_message)


def test_a_task_without_secrets_is_still_queued(client, world, monkeypatch):
    from a2a import services

    queued = []
    monkeypatch.setattr(
        services, "task_queue", lambda *, task, ctx: queued.append(task.pk)
    )
    response = send(
        client, world.alice, "create-memo", {"title": "later"}, returnImmediately=True
    )
    task = response.json()["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_SUBMITTED"
    assert [str(pk) for pk in queued] == [task["id"]]
