"""Each wall of agent SQL holds on its own: the suite turns each one off in turn.

- Parser off: the checks let everything through (or no parser at all); the database
  still refuses the tables, catalogs and functions that are not the agent's, and the
  scope still hides other users' rows.
- Database limits off (the SQLite authorizer allows everything; on PostgreSQL the
  statement runs as the app's own role): the parser still refuses every hostile
  statement of the corpus.
"""

import contextlib

import pytest
from django.db import connection

from accounts.models import User
from scoping import agent_sql
from scoping.agent_sql import Refused, checks
from scoping.scopes import unscoped
from tests.scopes import as_
from tests.scoping import hostile_sql
from tests.scoping.test_agent_sql_hostile import CORPUS, everything, run
from tests.testapp.models import Folder, Memo

pytestmark = pytest.mark.django_db


def forbidden_values(world) -> set[str]:
    """Every value Alice, in Acme, must never see: other scopes' rows and every
    unscoped table's secrets."""
    with unscoped(reason="test: what must not leak"):
        values = {
            *Memo.objects.exclude(owner_email=world.alice.email).values_list(
                "title", flat=True
            ),
            *Folder.objects.exclude(org=world.acme).values_list("name", flat=True),
            *User.objects.values_list("password", flat=True),
            *User.objects.exclude(pk=world.alice.pk).values_list("email", flat=True),
            str(world.bobco.pk),
            world.bobco.pk.hex,
        }
    return {value for value in values if value}


def assert_no_leak(world, rows):
    forbidden = forbidden_values(world)
    for row in rows:
        for cell in row:
            text = str(cell)
            assert not any(value in text for value in forbidden), (row, forbidden)


@pytest.fixture
def parser_off(monkeypatch):
    """The checks accept anything that parses."""
    monkeypatch.setattr(checks, "check", lambda statement, **kwargs: None)


# The statements that broke the template, and the prizes behind them.
CRITICAL_QUERIES = [
    *(f"SELECT {cols} FROM {table}" for table, cols in hostile_sql.PRIZES.items()),
    *hostile_sql.CTE_SHADOWING[:6],
    "SELECT title FROM testapp_memo UNION SELECT password FROM accounts_user",
    "SELECT * FROM testapp_memo "
    "WHERE set_config('scoping.unscoped', 'on', true) = 'on'",
    "SELECT set_config('scoping.owner_email', 'bob@bobco.test', true), title "
    "FROM testapp_memo",
    "SELECT * FROM main.testapp_memo",
    "SELECT * FROM public.testapp_memo",
    "SELECT title FROM testapp_memo",
    "SELECT * FROM testapp_folder",
]
CATALOG_QUERIES = {
    "sqlite": ["SELECT * FROM sqlite_master", "SELECT * FROM sqlite_temp_master"],
    "postgresql": [
        "SELECT * FROM pg_class",
        "SELECT * FROM pg_roles",
        "SELECT * FROM pg_catalog.pg_proc",
        "SELECT * FROM information_schema.tables",
        "SELECT query FROM pg_stat_activity",
    ],
}
CRITICAL_WRITES = [
    hostile_sql.WRITES[0],  # is_superuser through a CTE named accounts_user
    hostile_sql.WRITES[1],  # role = 'owner' through a CTE named orgs_membership
    "UPDATE accounts_user SET is_superuser = true",
    "UPDATE orgs_membership SET role = 'owner'",
    "DELETE FROM django_session",
    "INSERT INTO testapp_memo (title, body, created_at, updated_at) "
    "SELECT password, email, '2026-01-01', '2026-01-01' FROM accounts_user",
    "UPDATE testapp_memo SET title = (SELECT password FROM accounts_user LIMIT 1)",
    "UPDATE testapp_memo SET owner_email = 'bob@bobco.test'",
    "UPDATE testapp_memo SET org_id = NULL",
    "DELETE FROM testapp_memo",
    "UPDATE testapp_memo SET title = 'hacked'",
]


@pytest.mark.parametrize("sql", CRITICAL_QUERIES)
def test_without_the_parser_no_query_leaks(world, parser_off, sql):
    with as_(world.alice, world.acme):
        try:
            result = agent_sql.run_query(sql)
        except Refused:
            return
    assert_no_leak(world, result.rows)


@pytest.mark.parametrize("sql", CRITICAL_WRITES)
def test_without_the_parser_no_write_reaches_past_the_scope(world, parser_off, sql):
    before = everything()
    with as_(world.alice, world.acme), contextlib.suppress(Refused):
        agent_sql.run_exec(sql)
    after = everything()
    alice = world.alice.email
    # Nobody else's memo changed; Alice's stayed hers, in Acme; nothing else moved.
    assert [n for n in after["memos"] if n[2] != alice] == [
        n for n in before["memos"] if n[2] != alice
    ]
    assert {(n[2], n[3]) for n in after["memos"] if n[2] == alice} <= {
        (alice, world.acme.pk)
    }
    for part in ("folders", "users", "memberships"):
        assert after[part] == before[part]


def _raw_query(sql):
    """The statement as text, straight to the engine: no parser at all."""
    tables = {"testapp_memo": "id", "testapp_folder": "id", "a2a_a2atask": "id"}
    if connection.vendor == "postgresql":
        from scoping.agent_sql import postgresql

        return postgresql.query(sql, [])
    from scoping.agent_sql import sqlite

    return sqlite.query(sql, [], tables=tables)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT email, password FROM accounts_user",
        "SELECT session_key, session_data FROM django_session",
        "SELECT token_digest FROM accounts_apitoken",
        "SELECT ciphertext FROM accounts_secret",
        "SELECT email, password FROM accounts_user WHERE 1 = "
        "(WITH accounts_user AS (SELECT 1 AS x) SELECT x FROM accounts_user)",
    ],
)
def test_with_no_parser_at_all_the_database_refuses_what_is_not_the_agents(world, sql):
    with as_(world.alice, world.acme), pytest.raises(Refused):
        _raw_query(sql)


def test_with_no_parser_at_all_the_database_refuses_the_catalogs(world):
    for sql in CATALOG_QUERIES[connection.vendor]:
        with as_(world.alice, world.acme), pytest.raises(Refused):
            _raw_query(sql)


def test_with_no_parser_at_all_the_scope_still_filters(world):
    with as_(world.alice, world.acme):
        result = _raw_query("SELECT title FROM testapp_memo ORDER BY title")
    assert result.rows == [["alice's memo"]]


@pytest.mark.postgres
def test_with_no_parser_at_all_the_agent_cannot_change_its_scope(world):
    from scoping.agent_sql import postgresql

    with as_(world.alice, world.acme):
        for sql in [
            "SELECT set_config('scoping.owner_email', 'bob@bobco.test', true)",
            "SELECT set_config('scoping.unscoped', 'on', true)",
            "SELECT set_config('role', 'postgres', true)",
            "SELECT pg_catalog.set_config('scoping.org_id', '', false)",
        ]:
            with pytest.raises(Refused, match="permission denied"):
                postgresql.query(sql, [])
        with pytest.raises(Refused):
            postgresql.execute("CREATE TEMP TABLE testapp_memo (title text)", [])
        assert postgresql.query("SELECT title FROM testapp_memo", []).rows == [
            ["alice's memo"]
        ]


@pytest.mark.postgres
def test_a_lone_set_cannot_carry_a_scope_past_the_statement(world):
    """SET is a statement of its own, which only a missing parser lets through:
    leaving the agent statement puts the scope (and the role) back."""
    from scoping.agent_sql import postgresql

    with as_(world.alice, world.acme):
        postgresql.execute("SET scoping.owner_email = 'bob@bobco.test'", [])
        postgresql.execute("SET LOCAL scoping.unscoped = 'on'", [])
        assert list(Memo.objects.values_list("title", flat=True)) == ["alice's memo"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user = session_user")
            assert cursor.fetchone() == (True,)


# --- The database's limits off: the parser alone --------------------------------------


@pytest.fixture
def database_limits_off(monkeypatch):
    """SQLite: the agent authorizer allows everything. PostgreSQL: agent SQL runs as
    the app's own role, which may read every table."""
    if connection.vendor == "postgresql":
        from scoping import roles

        monkeypatch.setattr(roles, "agent_role", roles.app_role)
    else:
        import sqlite3

        from scoping.agent_sql import sqlite

        monkeypatch.setattr(
            sqlite, "_authorizer", lambda **kwargs: lambda *a: sqlite3.SQLITE_OK
        )


@pytest.mark.parametrize(("kind", "sql"), CORPUS)
def test_without_the_database_limits_the_parser_refuses_the_corpus(
    world, database_limits_off, kind, sql
):
    before = everything()
    with as_(world.alice, world.acme), pytest.raises(Refused):
        run(kind, sql)
    assert everything() == before


def test_turning_the_database_limits_off_really_turns_them_off(
    world, database_limits_off
):
    """The fixture above is no placebo: without the parser as well, a prize is read."""
    with as_(world.alice, world.acme):
        result = _raw_query("SELECT email FROM accounts_user")
    assert [world.bob.email] in result.rows


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT OR REPLACE INTO testapp_memo (id, title, body, created_at, updated_at) "
        "VALUES ({bob}, 'taken', '', '2026-01-01', '2026-01-01')",
        "INSERT INTO testapp_memo (id, title, body, created_at, updated_at) "
        "VALUES ({bob}, 'taken', '', '2026-01-01', '2026-01-01') "
        "ON CONFLICT (id) DO UPDATE SET title = 'taken'",
        "INSERT OR IGNORE INTO testapp_memo (id, title, body, created_at, updated_at) "
        "VALUES ({bob}, 'taken', '', '2026-01-01', '2026-01-01')",
    ],
)
def test_without_the_parser_no_conflict_clause_takes_anothers_row(
    world, parser_off, sql
):
    before = everything()
    with as_(world.alice, world.acme), contextlib.suppress(Refused):
        agent_sql.run_exec(sql.format(bob=world.bob_memo.pk))
    assert everything() == before
