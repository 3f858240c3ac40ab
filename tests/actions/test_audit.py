"""State-changing actions are audited, failures too, with secrets redacted."""

import pytest

from accounts.models import AuditEvent
from tests.actions.conftest import call

pytestmark = pytest.mark.django_db


def test_a_change_is_audited_with_its_arguments_and_target(world):
    response = call(world.alice, "create-memo", {"title": "audited", "body": "b"})
    event = AuditEvent.objects.get(action="action.create-memo")
    assert event.actor == world.alice
    assert event.org_id == world.acme.pk
    assert (event.target_type, event.target_id) == (
        "testapp.memo",
        str(response.json()["id"]),
    )
    assert event.metadata == {
        "arguments": {"title": "audited", "body": "b"},
        "outcome": "ok",
        "caller": "agent",
    }


def test_reads_are_not_audited(world):
    call(world.alice, "list-memos")
    assert not AuditEvent.objects.filter(action="action.list-memos").exists()


@pytest.mark.parametrize(
    ("caller", "data", "outcome"),
    [
        ("alice", {"title": ""}, "invalid_input"),
        ("alice", {"id": 999_999, "title": "x"}, "not_found"),
    ],
)
def test_failures_are_audited_with_their_outcome(world, caller, data, outcome):
    name = "update-memo" if "id" in data else "create-memo"
    call(getattr(world, caller), name, data)
    event = AuditEvent.objects.get(action=f"action.{name}")
    assert event.metadata["outcome"] == outcome


def test_secret_looking_arguments_are_redacted(world):
    secret = "sk_live_0123456789abcdef"
    call(
        world.alice,
        "db-exec",
        {
            "sql": "UPDATE testapp_memo SET body = ? WHERE title = 'api_key=x'",
            "params": [f"token={secret}"],
        },
    )
    event = AuditEvent.objects.get(action="action.db-exec")
    assert secret not in str(event.metadata)
    assert event.metadata["arguments"]["params"] == ["token=[redacted]"]
