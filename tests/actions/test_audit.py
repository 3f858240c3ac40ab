"""One audit row per change, written by the service that makes it, carrying the
call's Context; the runner adds rows for refusals and failures only."""

import json

import pytest
from django.test import Client

from accounts.models import AuditEvent
from accounts.services import api_token_create
from tests.actions.conftest import call

pytestmark = pytest.mark.django_db


def _rows_written_by(run):
    """The audit rows `run()` wrote, oldest first."""
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    run()
    return list(AuditEvent.objects.exclude(pk__in=before).order_by("pk"))


def test_a_change_writes_one_row_with_the_callers_context(world):
    _, secret = api_token_create(user=world.alice, name="agent")
    client = Client(HTTP_USER_AGENT="test-agent/1.0", REMOTE_ADDR="203.0.113.9")
    answers = []

    def create():
        answers.append(
            client.post(
                "/api/actions/create-memo/",
                json.dumps({"title": "audited", "body": "b"}),
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}"},
            )
        )

    rows = _rows_written_by(create)
    assert [row.action for row in rows] == ["memo.created"]
    [row] = rows
    assert (row.actor, row.org_id) == (world.alice, world.acme.pk)
    assert (row.target_type, row.target_id) == (
        "testapp.memo",
        str(answers[0].json()["id"]),
    )
    assert row.caller == "agent"
    assert row.request_id == answers[0]["X-Request-ID"]
    assert (row.ip, row.user_agent) == ("203.0.113.9", "test-agent/1.0")


def test_inviting_a_member_writes_one_row(world, erin):
    rows = _rows_written_by(
        lambda: call(erin, "invite-member", {"email": "new@example.com"})
    )
    assert [row.action for row in rows] == ["api_token.created", "invitation.created"]


def test_a_page_change_names_the_page_as_caller(client, world):
    client.force_login(world.alice)
    client.get("/")
    rows = _rows_written_by(
        lambda: client.post("/team/rename/", {"rename-name": "Acme Inc"})
    )
    assert [(row.action, row.caller) for row in rows] == [("org.renamed", "http")]


def test_reads_are_not_audited(world):
    _, secret = api_token_create(user=world.alice, name="reader")
    rows = _rows_written_by(
        lambda: Client().get(
            "/api/actions/list-memos/", headers={"Authorization": f"Bearer {secret}"}
        )
    )
    assert rows == []


@pytest.mark.parametrize(
    ("data", "outcome"),
    [
        ({"title": ""}, "invalid_input"),
        ({"id": 999_999, "title": "x"}, "not_found"),
    ],
)
def test_failures_are_audited_with_their_outcome(world, data, outcome):
    name = "update-memo" if "id" in data else "create-memo"
    call(world.alice, name, data)
    event = AuditEvent.objects.get(action=f"action.{name}")
    assert event.metadata["outcome"] == outcome
    assert event.caller == "agent"


def test_a_refused_caller_is_audited(world):
    """Carol is a member of Acme; deleting a folder needs an admin."""
    response = call(world.carol, "delete-folder", {"id": 1})
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="action.delete-folder")
    assert event.actor == world.carol
    assert event.metadata["outcome"] == "permission_denied"


def test_agent_sql_changes_are_audited_without_their_parameters(world):
    secret = "sk_live_0123456789abcdef"
    response = call(
        world.alice,
        "db-exec",
        {
            "sql": "UPDATE testapp_memo SET body = ? WHERE title = 'api_key=sk_x'",
            "params": [f"token={secret}"],
        },
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="agent_sql.exec")
    assert secret not in str(event.metadata)
    assert "sk_x" not in str(event.metadata)
    assert event.metadata["parameters"] == 1


def test_secret_looking_arguments_of_a_failure_are_redacted(world):
    secret = "sk_live_0123456789abcdef"
    call(
        world.alice,
        "db-exec",
        {"sql": "UPDATE nowhere SET x = ?", "params": [f"token={secret}"]},
    )
    event = AuditEvent.objects.get(action="action.db-exec")
    assert secret not in str(event.metadata)
    assert event.metadata["arguments"]["params"] == ["token=[redacted]"]
