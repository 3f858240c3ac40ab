"""Two of the parser's rules, each tested on its own layer.

The database refuses much of the same (grants, the authorizer, row level security),
so a test that only expects *a* refusal passes with either rule gone. These call the
parser's check directly, or run the statement with the database's limits off, and
expect the rule's own refusal:

- tables whose names suggest secrets (secret, token, password) are never agent tables,
  even when scoped;
- owner_email and org_id are set by the scope: no statement writes them, not even to
  the value they already hold (which the database's scope would let through).
"""

import pytest
from django.db import connection

from scoping import agent_sql, registry
from scoping.agent_sql import Refused, checks
from scoping.scopes import unscoped
from tests.scopes import as_
from tests.scoping.test_agent_sql_defences import database_limits_off  # noqa: F401

pytestmark = pytest.mark.django_db

# One scoped table per word the agent may never reach, and one it may.
NAMED_FOR_SECRETS = ["crm_clientsecret", "crm_apitoken", "crm_passwordhint"]
PLAIN = "crm_contact"


def _check(sql: str, *, kind: str, tables) -> None:
    vendor = connection.vendor
    statement = checks.parse(sql, vendor=vendor)
    checks.check(statement, kind=kind, vendor=vendor, tables=tables)


@pytest.fixture
def agent_tables(db):
    """The agent tables once a team has scoped tables named for secrets."""
    # As the tables' owner, as a migration would (the app's role creates nothing).
    with unscoped(reason="test: a team's new tables"), connection.cursor() as cursor:
        for name in [*NAMED_FOR_SECRETS, PLAIN]:
            cursor.execute(
                f"CREATE TABLE {name} (id integer PRIMARY KEY, title varchar(100), "
                "owner_email varchar(254), org_id varchar(36))"
            )
    scoped = {table.name for table in registry.scoped_tables(connection)}
    assert {*NAMED_FOR_SECRETS, PLAIN} <= scoped  # scoped: only the words keep them out
    return registry.agent_tables(connection)


def test_tables_named_for_secrets_are_not_agent_tables(agent_tables):
    assert PLAIN in agent_tables
    assert [name for name in NAMED_FOR_SECRETS if name in agent_tables] == []


@pytest.mark.parametrize("name", NAMED_FOR_SECRETS)
@pytest.mark.parametrize(
    ("kind", "sql"),
    [
        ("query", "SELECT title FROM {name}"),
        (
            "query",
            "SELECT c.title FROM crm_contact AS c JOIN {name} AS s ON s.id = c.id",
        ),
        ("exec", "UPDATE {name} SET title = 'x'"),
        ("exec", "DELETE FROM {name}"),
    ],
)
def test_the_parser_refuses_tables_named_for_secrets(agent_tables, name, kind, sql):
    with pytest.raises(Refused, match=f"Table {name} is not available to agents"):
        _check(sql.format(name=name), kind=kind, tables=agent_tables)


def test_the_parser_accepts_the_plain_scoped_table(agent_tables):
    """The refusals above are about the names, not about new tables."""
    _check(f"SELECT title FROM {PLAIN}", kind="query", tables=agent_tables)
    _check(f"UPDATE {PLAIN} SET title = 'x'", kind="exec", tables=agent_tables)


SCOPE_COLUMN_WRITES = [
    "UPDATE testapp_memo SET owner_email = owner_email",
    "UPDATE testapp_memo SET org_id = org_id",
    "UPDATE testapp_memo SET title = 'x', OWNER_EMAIL = 'bob@bobco.test'",
    "UPDATE testapp_memo SET org_id = NULL",
    "INSERT INTO testapp_memo (title, body, created_at, updated_at, owner_email) "
    "VALUES ('t', '', '2026-01-01', '2026-01-01', 'alice@acme.test')",
    "INSERT INTO testapp_memo (title, body, created_at, updated_at, org_id) "
    "SELECT 't', '', '2026-01-01', '2026-01-01', org_id FROM testapp_folder",
]


@pytest.mark.parametrize("sql", SCOPE_COLUMN_WRITES)
def test_the_parser_refuses_writes_to_the_scope_columns(world, sql):
    tables = registry.agent_tables(connection)
    with pytest.raises(Refused, match="is set by the scope and cannot be written"):
        _check(sql, kind="exec", tables=tables)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE testapp_memo SET owner_email = owner_email",
        "UPDATE testapp_memo SET org_id = org_id",
    ],
)
def test_without_the_database_limits_a_scope_column_write_is_still_refused(
    world,
    database_limits_off,  # noqa: F811
    sql,
):
    """Writing a scope column its own value stays inside the scope, so the scope
    underneath lets it run: the parser is what refuses it."""
    with as_(world.alice, world.acme), pytest.raises(Refused, match="set by the scope"):
        agent_sql.run_exec(sql)


def test_the_parser_accepts_a_write_that_leaves_the_scope_columns_alone(world):
    tables = registry.agent_tables(connection)
    _check("UPDATE testapp_memo SET title = 'x'", kind="exec", tables=tables)
    with as_(world.alice, world.acme):
        assert agent_sql.run_exec("UPDATE testapp_memo SET title = 'renamed'") == 1
