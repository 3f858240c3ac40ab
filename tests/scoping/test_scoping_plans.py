"""A scoped read is answered from the scope columns' indexes, not a scan of the table.

The policy used to read `coalesce(<unscoped flag>, false) OR (owner_email = … AND
org_id = …)`: the OR branch that names no column kept PostgreSQL from the indexes,
so every scoped read scanned the whole table (35 times slower at 100k rows). Unscoped
work now has a role of its own, and the policy compares the columns only.
"""

import pytest
from django.db import connection

from notes.models import Note
from scoping.scopes import unscoped
from tests.scopes import as_

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def many_notes(world):
    """20 000 notes of 200 people in 20 orgs, and statistics that say so."""
    with unscoped(reason="test: a big table"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notes_note (title, body, owner_email, org_id, created_at, "
            "updated_at) SELECT 'n' || i, '', 'user' || (i %% 200) || '@example.com', "
            "CASE WHEN i %% 20 = 0 THEN %s::uuid ELSE %s::uuid END, now(), now() "
            "FROM generate_series(1, 20000) AS i",
            [world.acme.pk, world.bobco.pk],
        )
        cursor.execute("ANALYZE notes_note")
    return world


def plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM notes_note",
        "SELECT count(*) FROM notes_note",
        "SELECT * FROM notes_note ORDER BY updated_at DESC LIMIT 20",
    ],
)
def test_scoped_reads_use_the_scope_indexes(many_notes, sql):
    with as_(many_notes.alice, many_notes.acme):
        shown = plan(sql)
    assert "Index" in shown, shown
    assert "Seq Scan on notes_note" not in shown, shown


def test_a_lookup_by_id_uses_the_key(many_notes):
    with as_(many_notes.alice, many_notes.acme):
        shown = plan(
            "SELECT * FROM notes_note WHERE id = %s", [many_notes.alice_note.pk]
        )
    assert "notes_note_pkey" in shown, shown


def test_unscoped_work_sees_every_row(many_notes):
    with unscoped(reason="test"):
        assert Note.objects.count() == 20_003
    with as_(many_notes.alice, many_notes.acme):
        assert Note.objects.count() == 1
