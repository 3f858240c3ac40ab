"""Agent SQL does what an agent asks, on its own rows: reads, writes, limits.

The hostile side is in test_agent_sql_hostile (the corpus), _defences (each wall
alone), _oracles, _memory and _properties.
"""

import pytest
from django.db import connection

from scoping import agent_sql
from scoping.agent_sql import Refused
from scoping.scopes import unscoped
from tests.scopes import as_
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db


def add_memos(count: int, *, body: str = "") -> None:
    """`count` more memos for the current scope, written by agent SQL."""
    for i in range(count):
        agent_sql.run_exec(
            "INSERT INTO testapp_memo (title, body, created_at, updated_at) "
            "VALUES (?, ?, '2026-01-01', '2026-01-01')",
            [f"n{i}", body],
        )


def test_a_query_sees_only_the_scope(world):
    with as_(world.alice, world.acme):
        result = agent_sql.run_query(
            "SELECT title FROM testapp_memo WHERE title LIKE ? ORDER BY title",
            ["%memo%"],
        )
    assert result.columns == ["title"]
    assert result.rows == [["alice's memo"]]
    assert result.truncated is False


def test_a_query_joins_and_aggregates_within_the_scope(world):
    with as_(world.carol, world.acme):
        result = agent_sql.run_query(
            "SELECT b.name, count(n.id) FROM testapp_folder b "
            "LEFT JOIN testapp_memo n ON n.folder_id = b.id GROUP BY b.name"
        )
    assert result.rows == [["Acme folder", 0]]


def test_results_are_capped(world, settings):
    settings.SCOPING_AGENT_SQL_MAX_ROWS = 2
    with as_(world.alice, world.acme):
        add_memos(3)
        result = agent_sql.run_query("SELECT title FROM testapp_memo")
    assert len(result.rows) == 2
    assert result.truncated is True


def test_exec_writes_only_in_the_scope(world):
    with as_(world.alice, world.acme):
        inserted = agent_sql.run_exec(
            "INSERT INTO testapp_memo (title, body, created_at, updated_at) "
            "VALUES (?, ?, '2026-01-01', '2026-01-01')",
            ["from an agent", "<b>hi</b>"],
        )
        updated = agent_sql.run_exec("UPDATE testapp_memo SET body = 'edited'")
        deleted = agent_sql.run_exec(
            "DELETE FROM testapp_memo WHERE id = ?", [world.bob_memo.pk]
        )
    assert (inserted, updated, deleted) == (1, 2, 0)
    with unscoped(reason="test"):
        mine = Memo.objects.filter(owner_email="alice@acme.test", org_id=world.acme.pk)
        assert sorted(mine.values_list("title", "body")) == [
            ("alice's memo", "edited"),
            ("from an agent", "edited"),
        ]
        assert Memo.objects.get(pk=world.bob_memo.pk).body == ""


def test_parameters_must_match_the_placeholders(world):
    with as_(world.alice, world.acme), pytest.raises(Refused, match="placeholders"):
        agent_sql.run_query("SELECT * FROM testapp_memo WHERE id = ?", [])


def test_a_percent_in_a_literal_is_just_a_percent(world):
    with as_(world.alice, world.acme):
        result = agent_sql.run_query("SELECT '100%' AS pct FROM testapp_memo")
    assert result.rows == [["100%"]]


def test_agent_sql_outside_a_scope_is_refused(world):
    with pytest.raises(Refused, match="scope"):
        agent_sql.run_query("SELECT * FROM testapp_memo")
    with unscoped(reason="test"), pytest.raises(Refused, match="scope"):
        agent_sql.run_query("SELECT * FROM testapp_memo")


def test_a_read_only_query_cannot_write_even_if_the_check_missed_it(world, monkeypatch):
    """The database's read-only mode is a wall of its own."""
    from scoping.agent_sql import checks

    monkeypatch.setattr(checks, "check", lambda statement, **kwargs: None)
    with as_(world.alice, world.acme):
        with pytest.raises(Refused):
            agent_sql.run_query("DELETE FROM testapp_memo")
        assert connection.in_atomic_block
    with unscoped(reason="test"):
        assert Memo.objects.count() == 3


def test_a_runaway_query_is_stopped_by_the_timeout(world, settings):
    with as_(world.alice, world.acme):
        add_memos(40)
    settings.SCOPING_AGENT_SQL_TIMEOUT_MS = 200
    forever = (  # 41^6 rows: hours without the timeout
        "SELECT count(*) FROM testapp_memo a, testapp_memo b, testapp_memo c, "
        "testapp_memo d, testapp_memo e, testapp_memo f"
    )
    with as_(world.alice, world.acme), pytest.raises(Refused, match="refused"):
        agent_sql.run_query(forever)
    with as_(world.alice, world.acme):  # the connection is usable afterwards
        assert agent_sql.run_query("SELECT count(*) FROM testapp_memo").rows == [[41]]


def test_results_are_capped_in_bytes_as_they_are_fetched(world, settings):
    settings.SCOPING_AGENT_SQL_MAX_BYTES = 1000
    with as_(world.alice, world.acme):
        add_memos(5, body="x" * 300)
        result = agent_sql.run_query("SELECT body FROM testapp_memo ORDER BY title")
    assert sum(len(row[0]) for row in result.rows) <= 1000
    assert len(result.rows) < 6
    assert result.truncated is True


def test_an_update_computes_from_its_own_rows(world):
    with as_(world.alice, world.acme):
        changed = agent_sql.run_exec(
            "UPDATE testapp_memo SET title = title || ?, body = upper(title)",
            [" (edited)"],
        )
        assert changed == 1
        assert agent_sql.run_query("SELECT title, body FROM testapp_memo").rows == [
            ["alice's memo (edited)", "ALICE'S MEMO"]
        ]
    with unscoped(reason="test"):
        assert Memo.objects.get(pk=world.bob_memo.pk).title == "bob's memo"
        assert Memo.objects.get(pk=world.carol_memo.pk).title == "carol's memo"


def test_an_update_may_join_other_agent_tables(world):
    with as_(world.alice, world.acme):
        agent_sql.run_exec(
            "UPDATE testapp_memo SET folder_id = ? WHERE id = ?",
            [world.acme_folder.pk, world.alice_memo.pk],
        )
        changed = agent_sql.run_exec(
            "UPDATE testapp_memo SET title = b.name FROM testapp_folder b "
            "WHERE b.id = testapp_memo.folder_id"
        )
        assert changed == 1
        assert agent_sql.run_query("SELECT title FROM testapp_memo").rows == [
            ["Acme folder"]
        ]


def test_a_delete_with_an_alias_deletes_only_its_rows(world):
    with as_(world.alice, world.acme):
        deleted = agent_sql.run_exec(
            "DELETE FROM testapp_memo AS n WHERE n.title LIKE ?", ["%memo%"]
        )
    assert deleted == 1
    with unscoped(reason="test"):
        assert sorted(Memo.objects.values_list("title", flat=True)) == [
            "bob's memo",
            "carol's memo",
        ]


def test_an_insert_from_a_select_fills_in_the_scope(world):
    with as_(world.alice, world.acme):
        copied = agent_sql.run_exec(
            "INSERT INTO testapp_memo (title, body, created_at, updated_at) "
            "SELECT title || ' (copy)', body, created_at, updated_at FROM testapp_memo"
        )
        assert copied == 1
    with unscoped(reason="test"):
        copy = Memo.objects.get(title="alice's memo (copy)")
        assert (copy.owner_email, copy.org_id) == (world.alice.email, world.acme.pk)


def test_a_cte_named_like_a_table_is_the_cte_where_it_is_defined(world):
    with as_(world.alice, world.acme):
        shadowing = agent_sql.run_query(
            "WITH testapp_memo AS (SELECT 'mine' AS x) SELECT x FROM testapp_memo"
        )
        mine = agent_sql.run_query(
            "WITH mine AS (SELECT title FROM testapp_memo) SELECT title FROM mine"
        )
    assert shadowing.rows == [["mine"]]
    assert mine.rows == [["alice's memo"]]


def test_the_key_and_the_scope_columns_are_not_an_agents_to_write(world):
    with as_(world.alice, world.acme):
        with pytest.raises(Refused, match="primary key"):
            agent_sql.run_exec("UPDATE testapp_memo SET id = 99")
        with pytest.raises(Refused, match="set by the scope"):
            agent_sql.run_exec("UPDATE testapp_memo SET owner_email = 'a@b.c'")


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
        agent_sql.run_query("SELECT title FROM testapp_memo")
    with as_(world.alice, world.acme):  # and the transaction goes on
        assert list(Memo.objects.values_list("title", flat=True)) == ["alice's memo"]


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
            "UPDATE testapp_memo SET title = ? WHERE id = ?",
            ["renamed", world.alice_memo.pk],
        )
    assert found.rows == [["c"]]
    assert (deleted, kept) == (1, 1)
