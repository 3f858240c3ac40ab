"""A scoped read is answered from the scope columns' indexes, not a scan of the table.

The policy used to read `coalesce(<unscoped flag>, false) OR (owner_email = … AND
org_id = …)`: the OR branch that names no column kept PostgreSQL from the indexes,
so every scoped read scanned the whole table (35 times slower at 100k rows). Unscoped
work now has a role of its own, and the policy compares the columns only.
"""

import pytest
from django.db import connection

from scoping.scopes import unscoped
from tests.scopes import as_
from tests.testapp.models import Memo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def many_memos(world):
    """20 000 memos of 200 people in 20 orgs, and statistics that say so."""
    with unscoped(reason="test: a big table"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO testapp_memo (title, body, owner_email, org_id, created_at, "
            "updated_at) SELECT 'n' || i, '', 'user' || (i %% 200) || '@example.com', "
            "CASE WHEN i %% 20 = 0 THEN %s::uuid ELSE %s::uuid END, now(), now() "
            "FROM generate_series(1, 20000) AS i",
            [world.acme.pk, world.bobco.pk],
        )
        cursor.execute("ANALYZE testapp_memo")
    return world


def plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM testapp_memo",
        "SELECT count(*) FROM testapp_memo",
        "SELECT * FROM testapp_memo ORDER BY updated_at DESC LIMIT 20",
    ],
)
def test_scoped_reads_use_the_scope_indexes(many_memos, sql):
    with as_(many_memos.alice, many_memos.acme):
        shown = plan(sql)
    assert "Index" in shown, shown
    assert "Seq Scan on testapp_memo" not in shown, shown


def test_a_lookup_by_id_uses_the_key(many_memos):
    with as_(many_memos.alice, many_memos.acme):
        shown = plan(
            "SELECT * FROM testapp_memo WHERE id = %s", [many_memos.alice_memo.pk]
        )
    assert "testapp_memo_pkey" in shown, shown


def test_unscoped_work_sees_every_row(many_memos):
    with unscoped(reason="test"):
        assert Memo.objects.count() == 20_003
    with as_(many_memos.alice, many_memos.acme):
        assert Memo.objects.count() == 1
