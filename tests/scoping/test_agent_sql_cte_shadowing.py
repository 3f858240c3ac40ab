"""SQLite's authorizer names a CTE's reads as it names a scope view's: a CTE called
after a scoped table (or after the scope's triggers) must not pass for the view,
with the parser's checks or without them."""

import pytest
from django.db import connection

from scoping import agent_sql
from scoping.agent_sql import checks
from tests.scopes import as_

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

SHADOWING = [
    "WITH testapp_folder AS (SELECT name FROM main.testapp_folder) "
    "SELECT name FROM testapp_folder",
    "WITH testapp_folder AS (SELECT name FROM main.testapp_folder UNION ALL "
    "SELECT title FROM testapp_memo) SELECT name FROM testapp_folder",
    "WITH scoping_x AS (SELECT name FROM main.testapp_folder) "
    "SELECT name FROM scoping_x",
    "WITH TESTAPP_FOLDER AS MATERIALIZED (SELECT name FROM main.testapp_folder) "
    "SELECT name FROM testapp_folder",
]


@pytest.fixture(params=["parser on", "parser off"])
def parser(request, monkeypatch):
    if request.param == "parser off":
        monkeypatch.setattr(checks, "check", lambda statement, **kwargs: None)
    return request.param


@pytest.mark.parametrize("sql", SHADOWING)
def test_a_cte_named_after_a_scoped_table_reads_no_other_orgs_rows(world, parser, sql):
    assert connection.vendor == "sqlite"
    with as_(world.alice, world.acme):
        try:
            result = agent_sql.run_query(sql)
        except agent_sql.Refused:
            return
    assert ["Bobco folder"] not in result.rows
    assert result.rows == []  # never any row read past the scope view


def test_reads_through_the_scope_view_still_work_in_a_with(world):
    sql = "WITH books AS (SELECT name FROM testapp_folder) SELECT name FROM books"
    with as_(world.alice, world.acme):
        assert agent_sql.run_query(sql).rows == [["Acme folder"]]
