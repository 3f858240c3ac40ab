"""No answer depends on another scope's rows: a condition on Bob's data that matches
and one that does not get the same answer, word for word.

On SQLite a WHERE used to run on every row of the real table before the triggers
skipped the others' rows, so an error ("integer overflow") said whether some row of
any tenant matched. Writes now find their rows through the scope view first.
"""

import pytest

from scoping import agent_sql
from scoping.agent_sql import Refused
from tests.scopes import as_

pytestmark = pytest.mark.django_db

MATCHES = "title = 'bob''s memo'"  # Bob's memo, in Bobco: never Alice's to see
MISSES = "title = 'no such memo anywhere'"

ORACLES = [
    # an error only when the condition holds on some row
    "UPDATE testapp_memo SET title = title WHERE abs(CASE WHEN {cond} "
    "THEN -9223372036854775807 - 1 ELSE 1 END) < 0",
    "DELETE FROM testapp_memo WHERE 1 / (CASE WHEN {cond} THEN 0 ELSE 1 END) = 0",
    "UPDATE testapp_memo SET body = body WHERE "
    "CAST(CASE WHEN {cond} THEN 'x' ELSE '1' END AS INTEGER) = 1",
    "UPDATE testapp_memo SET body = (CASE WHEN {cond} THEN 1 / 0 ELSE body END)",
    "DELETE FROM testapp_memo WHERE length(CASE WHEN {cond} THEN "
    "printf('%.100c', 'x') ELSE '' END) > 1000",
    # a count that would include the other scope's rows
    "UPDATE testapp_memo SET body = body WHERE {cond}",
    "DELETE FROM testapp_memo WHERE {cond}",
]
QUERY_ORACLES = [
    "SELECT count(*) FROM testapp_memo WHERE {cond}",
    "SELECT abs(CASE WHEN {cond} THEN -9223372036854775807 - 1 ELSE 1 END) "
    "FROM testapp_memo",
    "SELECT 1 / (CASE WHEN {cond} THEN 0 ELSE 1 END) FROM testapp_memo",
    "SELECT title FROM testapp_memo "
    "WHERE EXISTS (SELECT 1 FROM testapp_memo WHERE {cond})",
]


def _answer(call, sql):
    """What the caller learns: the result, or the refusal's words."""
    try:
        result = call(sql)
    except Refused as error:
        return ("refused", error.message)
    return ("ran", result if isinstance(result, int) else result.rows)


@pytest.mark.parametrize(
    ("call", "template"),
    [(agent_sql.run_exec, sql) for sql in ORACLES]
    + [(agent_sql.run_query, sql) for sql in QUERY_ORACLES],
)
def test_answers_are_alike_whether_anothers_row_matches(world, call, template):
    with as_(world.alice, world.acme):
        matching = _answer(call, template.format(cond=MATCHES))
        missing = _answer(call, template.format(cond=MISSES))
    assert matching == missing


def test_the_oracle_would_speak_on_ones_own_rows(world):
    """The same statements do tell apart conditions on Alice's own rows: the test
    above compares answers that could differ."""
    template = ORACLES[0]
    with as_(world.alice, world.acme):
        own = _answer(
            agent_sql.run_exec, template.format(cond="title = 'alice''s memo'")
        )
        missing = _answer(agent_sql.run_exec, template.format(cond=MISSES))
    assert own != missing


def test_a_reference_to_another_orgs_row_reads_like_a_missing_one(world):
    """A foreign key to Bobco's folder fails exactly as one to no folder."""
    insert = (
        "INSERT INTO testapp_memo (title, body, created_at, updated_at, folder_id) "
        "VALUES ('x', '', '2026-01-01', '2026-01-01', ?)"
    )
    with as_(world.alice, world.acme):
        elsewhere = _answer(
            agent_sql.run_exec, insert.replace("?", str(world.bobco_folder.pk))
        )
        nowhere = _answer(agent_sql.run_exec, insert.replace("?", "987654321"))
        own = _answer(
            agent_sql.run_exec, insert.replace("?", str(world.acme_folder.pk))
        )
    assert elsewhere[0] == "refused"
    assert elsewhere == nowhere
    assert own == ("ran", 1)
