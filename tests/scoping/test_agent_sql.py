"""Agent SQL runs only as one plain statement on scoped tables, in the scope."""

import pytest

from notes.models import Note
from scoping import agent_sql
from scoping.agent_sql import Refused
from scoping.scopes import unscoped
from tests.scopes import as_

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    # schema-qualified: around the views / policies
    "SELECT * FROM main.notes_note",
    'SELECT * FROM "main"."notes_note"',
    "SELECT * FROM public.notes_note",
    "SELECT * FROM temp.notes_note",
    # the scope's own settings
    "SELECT set_config('scoping.owner_email', 'bob@bobco.test', true)",
    "SELECT current_setting('scoping.owner_email')",
    "SELECT * FROM notes_note WHERE set_config('scoping.unscoped', 'on', true) = 'on'",
    # more than one statement
    "SELECT 1; SELECT 2",
    "SELECT * FROM notes_note; DELETE FROM notes_note",
    "SELECT 1 /* harmless */; DROP TABLE notes_note",
    "SELECT 1 --\n; DROP TABLE notes_note",
    # catalogs
    "SELECT title FROM notes_note UNION SELECT name FROM sqlite_master",
    "SELECT title FROM notes_note UNION SELECT usename FROM pg_user",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM pg_catalog.pg_tables",
    "SELECT * FROM sqlite_temp_master",
    # tables that are not the caller's data
    "SELECT * FROM accounts_user",
    "SELECT * FROM accounts_apitoken",
    "SELECT * FROM orgs_membership",
    "SELECT * FROM django_session",
    "SELECT * FROM notes_note WHERE owner_email IN (SELECT email FROM accounts_user)",
    # not a read
    "PRAGMA table_info(notes_note)",
    "ATTACH DATABASE 'db.sqlite3' AS other",
    "DELETE FROM notes_note",
    "UPDATE notes_note SET title = 'x'",
    "WITH gone AS (DELETE FROM notes_note RETURNING *) SELECT * FROM gone",
    "WITH moved AS (UPDATE notes_note SET owner_email = 'x' RETURNING *) SELECT 1",
    "CREATE TABLE stolen AS SELECT * FROM notes_note",
    "SELECT * INTO stolen FROM notes_note",
    "DROP TABLE notes_note",
    "BEGIN",
    "COMMIT",
    "SET ROLE postgres",
    "RESET ALL",
    "VACUUM",
    "COPY notes_note TO '/tmp/x'",
    "DO $$ BEGIN PERFORM 1; END $$",
    "SELECT * FROM notes_note FOR UPDATE",
    # functions outside the allowlist
    "SELECT load_extension('evil')",
    "SELECT pg_sleep(10)",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT * FROM generate_series(1, 1000000000)",
    "SELECT randomblob(1000000000)",
]

HOSTILE_WRITES = [
    "UPDATE notes_note SET owner_email = 'bob@bobco.test'",
    "UPDATE notes_note SET org_id = NULL",
    "INSERT INTO notes_note (title, body, owner_email) VALUES ('x', '', 'bob@x.test')",
    "INSERT INTO notes_note VALUES (1, 'x')",
    "INSERT INTO notes_note (title) VALUES ('x') "
    "ON CONFLICT (id) DO UPDATE SET title = 'y'",
    "INSERT INTO accounts_user (email) VALUES ('x@x.test')",
    "DELETE FROM orgs_membership",
    "UPDATE accounts_apitoken SET revoked_at = NULL",
    "DELETE FROM main.notes_note",
    "SELECT * FROM notes_note",
    "WITH x AS (SELECT 1) DELETE FROM notes_note",
    "DELETE FROM notes_note; DELETE FROM notes_notebook",
]


def test_there_are_at_least_thirty_hostile_statements():
    assert len(HOSTILE_QUERIES) + len(HOSTILE_WRITES) >= 30


@pytest.mark.parametrize("sql", HOSTILE_QUERIES)
def test_hostile_queries_are_refused_and_say_why(world, sql):
    with as_(world.alice, world.acme), pytest.raises(Refused) as refused:
        agent_sql.run_query(sql)
    assert refused.value.message
    with unscoped(reason="test"):
        assert Note.objects.count() == 3


@pytest.mark.parametrize("sql", HOSTILE_WRITES)
def test_hostile_writes_are_refused(world, sql):
    with as_(world.alice, world.acme), pytest.raises(Refused):
        agent_sql.run_exec(sql)
    with unscoped(reason="test"):
        assert sorted(Note.objects.values_list("owner_email", flat=True)) == [
            "alice@acme.test",
            "bob@bobco.test",
            "carol@acme.test",
        ]


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


def test_results_are_capped(world, monkeypatch):
    monkeypatch.setattr(agent_sql, "MAX_ROWS", 2)
    with as_(world.alice, world.acme):
        for i in range(3):
            agent_sql.run_exec(
                "INSERT INTO notes_note (title, body, created_at, updated_at) "
                "VALUES (?, '', '2026-01-01', '2026-01-01')",
                [f"n{i}"],
            )
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


def test_a_read_only_query_cannot_write_even_if_the_check_missed_it(world):
    """The database's read-only mode is a wall of its own."""
    from django.db import connection

    with as_(world.alice, world.acme):
        with pytest.raises(Refused), agent_sql._guarded(read_only=True) as cursor:
            cursor.execute("DELETE FROM notes_note")
        assert connection.in_atomic_block
    with unscoped(reason="test"):
        assert Note.objects.count() == 3


def test_a_runaway_query_is_stopped_by_the_timeout(world, monkeypatch):
    monkeypatch.setattr(agent_sql, "STATEMENT_TIMEOUT_MS", 200)
    forever = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT count(*) FROM c"
    )
    with as_(world.alice, world.acme), pytest.raises(Refused, match="refused"):
        agent_sql.run_query(forever)
    with as_(world.alice, world.acme):  # the connection is usable afterwards
        assert agent_sql.run_query("SELECT count(*) FROM notes_note").rows == [[1]]
