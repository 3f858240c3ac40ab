"""An action called with a token makes the statements of a hand-written view plus
its audit row, and no more: the token, its user and their membership in one query,
no savepoint inside the transaction the call's entrance opened for it alone
(PostgreSQL, as a request runs: no transaction around it)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.services import api_token_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _statements(client, secret, title):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/actions/create-memo/",
            json.dumps({"title": title}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 200, response.content
    return [query["sql"] for query in queries.captured_queries]


KINDS = {
    'SELECT t."id"': "token, user and membership",
    "SELECT set_config": "the scope",
    'INSERT INTO "testapp_memo"': "the memo",
    'INSERT INTO "accounts_auditevent"': "its audit row",
}


# What one write by token sends, whichever entrance it came by (the API, /mcp).
ONE_WRITE = [
    "token, user and membership",
    "BEGIN",
    "the scope",
    "the memo",
    "its audit row",
    "COMMIT",
]


def kind_of(sql: str) -> str:
    return next((kind for start, kind in KINDS.items() if sql.startswith(start)), sql)


def test_create_memo_by_token_makes_six_round_trips(world):
    _, secret = api_token_create(user=world.alice, name="agent")
    client = Client()
    _statements(client, secret, "warm up")  # the token's last-used time is set
    statements = _statements(client, secret, "counted")
    assert [kind_of(sql) for sql in statements] == ONE_WRITE
    assert "orgs_membership" in statements[0]


def test_a_failing_action_in_its_own_transaction_writes_only_its_record(world):
    """Without the savepoint a failure rolls back the runner's whole transaction;
    the audit row of the attempt is written after it."""
    from accounts.models import AuditEvent
    from scoping.scopes import unscoped
    from tests.testapp.models import Memo

    _, secret = api_token_create(user=world.alice, name="agent")
    response = Client().post(
        "/api/actions/update-memo/",
        json.dumps({"id": world.bob_memo.pk, "title": "not yours"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="action.update-memo")
    assert event.metadata["outcome"] == "not_found"
    with unscoped(reason="test"):
        assert Memo.objects.get(pk=world.bob_memo.pk).title == "bob's memo"


def test_a_failure_after_a_write_in_the_calls_own_transaction_undoes_it(world):
    """No savepoint: the call's transaction rolls back whole, and the record of the
    failure is written after it."""
    from accounts.models import AuditEvent
    from actions import runner
    from actions.registry import Action
    from config.errors import Conflict
    from scoping.scopes import unscoped
    from tests.testapp.models import Memo

    class WriteThenFail(Action):
        name = "write-then-fail"
        description = "Writes a memo, then refuses."

        def run(self, ctx, data):
            Memo.objects.create(title="undone")
            raise Conflict("Changed my mind.")

    with pytest.raises(Conflict):
        runner.call(WriteThenFail(), {}, user=world.alice, caller="cli")
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="undone").exists()
    event = AuditEvent.objects.get(action="action.write-then-fail")
    assert (event.actor, event.caller) == (world.alice, "cli")
    assert event.metadata["outcome"] == "conflict"
