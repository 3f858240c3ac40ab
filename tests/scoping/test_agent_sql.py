"""Agent SQL does what an agent asks, on its own rows: reads, writes, limits.

The hostile side is in test_agent_sql_hostile (the corpus), _defences (each wall
alone), _oracles, _memory and _properties.
"""

import pytest
from django.db import connection

from notes.models import Note
from scoping import agent_sql
from scoping.agent_sql import Refused
from scoping.scopes import unscoped
from tests.scopes import as_

pytestmark = pytest.mark.django_db


def add_notes(count: int, *, body: str = "") -> None:
    """`count` more notes for the current scope, written by agent SQL."""
    for i in range(count):
        agent_sql.run_exec(
            "INSERT INTO notes_note (title, body, created_at, updated_at) "
            "VALUES (?, ?, '2026-01-01', '2026-01-01')",
            [f"n{i}", body],
        )


def test_a_query_sees_only_the_scope(world):
    with as_(world.alice, world.acme):
        result = agent_sql.run_query(
            "SELECT title FROM notes_note WHERE title LIKE ? ORDER BY title", ["%note%"]
        )
    assert result.columns == ["title"]
    assert result.rows == [["alice's note"]]
    assert result.truncated is False


def test_a_query_joins_and_aggregates_within_the_scope(world):
    with as_(world.carol, world.acme):
        result = agent_sql.run_query(
            "SELECT b.name, count(n.id) FROM notes_notebook b "
            "LEFT JOIN notes_note n ON n.notebook_id = b.id GROUP BY b.name"
        )
    assert result.rows == [["Acme book", 0]]


def test_results_are_capped(world, settings):
    settings.SCOPING_AGENT_SQL_MAX_ROWS = 2
    with as_(world.alice, world.acme):
        add_notes(3)
        result = agent_sql.run_query("SELECT title FROM notes_note")
    assert len(result.rows) == 2
    assert result.truncated is True


def test_exec_writes_only_in_the_scope(world):
    with as_(world.alice, world.acme):
        inserted = agent_sql.run_exec(
            "INSERT INTO notes_note (title, body, created_at, updated_at) "
            "VALUES (?, ?, '2026-01-01', '2026-01-01')",
            ["from an agent", "<b>hi</b>"],
        )
        updated = agent_sql.run_exec("UPDATE notes_note SET body = 'edited'")
        deleted = agent_sql.run_exec(
            "DELETE FROM notes_note WHERE id = ?", [world.bob_note.pk]
        )
    assert (inserted, updated, deleted) == (1, 2, 0)
    with unscoped(reason="test"):
        mine = Note.objects.filter(owner_email="alice@acme.test", org_id=world.acme.pk)
        assert sorted(mine.values_list("title", "body")) == [
            ("alice's note", "edited"),
            ("from an agent", "edited"),
        ]
        assert Note.objects.get(pk=world.bob_note.pk).body == ""


def test_parameters_must_match_the_placeholders(world):
    with as_(world.alice, world.acme), pytest.raises(Refused, match="placeholders"):
        agent_sql.run_query("SELECT * FROM notes_note WHERE id = ?", [])


def test_a_percent_in_a_literal_is_just_a_percent(world):
    with as_(world.alice, world.acme):
        result = agent_sql.run_query("SELECT '100%' AS pct FROM notes_note")
    assert result.rows == [["100%"]]


def test_agent_sql_outside_a_scope_is_refused(world):
    with pytest.raises(Refused, match="scope"):
        agent_sql.run_query("SELECT * FROM notes_note")
    with unscoped(reason="test"), pytest.raises(Refused, match="scope"):
        agent_sql.run_query("SELECT * FROM notes_note")


def test_a_read_only_query_cannot_write_even_if_the_check_missed_it(world, monkeypatch):
    """The database's read-only mode is a wall of its own."""
    from scoping.agent_sql import checks

    monkeypatch.setattr(checks, "check", lambda statement, **kwargs: None)
    with as_(world.alice, world.acme):
        with pytest.raises(Refused):
            agent_sql.run_query("DELETE FROM notes_note")
        assert connection.in_atomic_block
    with unscoped(reason="test"):
        assert Note.objects.count() == 3


def test_a_runaway_query_is_stopped_by_the_timeout(world, settings):
    with as_(world.alice, world.acme):
        add_notes(40)
    settings.SCOPING_AGENT_SQL_TIMEOUT_MS = 200
    forever = (  # 41^6 rows: hours without the timeout
        "SELECT count(*) FROM notes_note a, notes_note b, notes_note c, "
        "notes_note d, notes_note e, notes_note f"
    )
    with as_(world.alice, world.acme), pytest.raises(Refused, match="refused"):
        agent_sql.run_query(forever)
    with as_(world.alice, world.acme):  # the connection is usable afterwards
        assert agent_sql.run_query("SELECT count(*) FROM notes_note").rows == [[41]]


def test_results_are_capped_in_bytes_as_they_are_fetched(world, settings):
    settings.SCOPING_AGENT_SQL_MAX_BYTES = 1000
    with as_(world.alice, world.acme):
        add_notes(5, body="x" * 300)
        result = agent_sql.run_query("SELECT body FROM notes_note ORDER BY title")
    assert sum(len(row[0]) for row in result.rows) <= 1000
    assert len(result.rows) < 6
    assert result.truncated is True


def test_an_update_computes_from_its_own_rows(world):
    with as_(world.alice, world.acme):
        changed = agent_sql.run_exec(
            "UPDATE notes_note SET title = title || ?, body = upper(title)",
            [" (edited)"],
        )
        assert changed == 1
        assert agent_sql.run_query("SELECT title, body FROM notes_note").rows == [
            ["alice's note (edited)", "ALICE'S NOTE"]
        ]
    with unscoped(reason="test"):
        assert Note.objects.get(pk=world.bob_note.pk).title == "bob's note"
        assert Note.objects.get(pk=world.carol_note.pk).title == "carol's note"


def test_an_update_may_join_other_agent_tables(world):
    with as_(world.alice, world.acme):
        agent_sql.run_exec(
            "UPDATE notes_note SET notebook_id = ? WHERE id = ?",
            [world.acme_book.pk, world.alice_note.pk],
        )
        changed = agent_sql.run_exec(
            "UPDATE notes_note SET title = b.name FROM notes_notebook b "
            "WHERE b.id = notes_note.notebook_id"
        )
        assert changed == 1
        assert agent_sql.run_query("SELECT title FROM notes_note").rows == [
            ["Acme book"]
        ]


def test_a_delete_with_an_alias_deletes_only_its_rows(world):
    with as_(world.alice, world.acme):
        deleted = agent_sql.run_exec(
            "DELETE FROM notes_note AS n WHERE n.title LIKE ?", ["%note%"]
        )
    assert deleted == 1
    with unscoped(reason="test"):
        assert sorted(Note.objects.values_list("title", flat=True)) == [
            "bob's note",
            "carol's note",
        ]


def test_an_insert_from_a_select_fills_in_the_scope(world):
    with as_(world.alice, world.acme):
        copied = agent_sql.run_exec(
            "INSERT INTO notes_note (title, body, created_at, updated_at) "
            "SELECT title || ' (copy)', body, created_at, updated_at FROM notes_note"
        )
        assert copied == 1
    with unscoped(reason="test"):
        copy = Note.objects.get(title="alice's note (copy)")
        assert (copy.owner_email, copy.org_id) == (world.alice.email, world.acme.pk)


def test_a_cte_named_like_a_table_is_the_cte_where_it_is_defined(world):
    with as_(world.alice, world.acme):
        shadowing = agent_sql.run_query(
            "WITH notes_note AS (SELECT 'mine' AS x) SELECT x FROM notes_note"
        )
        mine = agent_sql.run_query(
            "WITH mine AS (SELECT title FROM notes_note) SELECT title FROM mine"
        )
    assert shadowing.rows == [["mine"]]
    assert mine.rows == [["alice's note"]]


def test_the_key_and_the_scope_columns_are_not_an_agents_to_write(world):
    with as_(world.alice, world.acme):
        with pytest.raises(Refused, match="primary key"):
            agent_sql.run_exec("UPDATE notes_note SET id = 99")
        with pytest.raises(Refused, match="set by the scope"):
            agent_sql.run_exec("UPDATE notes_note SET owner_email = 'a@b.c'")


@pytest.mark.sqlite
def test_printf_with_small_widths_is_allowed(world):
    with as_(world.alice, world.acme):
        result = agent_sql.run_query("SELECT printf('%05d|%-6s|', 42, 'ab')")
    assert result.rows == [["00042|ab    |"]]


@pytest.mark.postgres
def test_without_its_role_agent_sql_is_refused_with_a_reason(world, monkeypatch):
    from scoping import roles

    monkeypatch.setattr(roles, "agent_role", lambda connection: "no_such_role_here")
    with as_(world.alice, world.acme), pytest.raises(Refused, match="db_setup_roles"):
        agent_sql.run_query("SELECT title FROM notes_note")
    with as_(world.alice, world.acme):  # and the transaction goes on
        assert list(Note.objects.values_list("title", flat=True)) == ["alice's note"]


def test_parameters_take_the_type_their_place_needs(world, client):
    """A UUID key given as text, a number as a number, on either engine."""
    from a2a.models import A2ATask

    with as_(world.alice, world.acme):
        task = A2ATask.objects.create(context_id="c", state="TASK_STATE_COMPLETED")
        found = agent_sql.run_query(
            "SELECT context_id FROM a2a_a2atask WHERE id = ?",
            [str(task.pk) if connection.vendor == "postgresql" else task.pk.hex],
        )
        deleted = agent_sql.run_exec(
            "DELETE FROM a2a_a2atask WHERE id = ?",
            [str(task.pk) if connection.vendor == "postgresql" else task.pk.hex],
        )
        kept = agent_sql.run_exec(
            "UPDATE notes_note SET title = ? WHERE id = ?",
            ["renamed", world.alice_note.pk],
        )
    assert found.rows == [["c"]]
    assert (deleted, kept) == (1, 1)
