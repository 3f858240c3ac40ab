"""No agent statement grows the web process by more than a few MB.

Measured as the process's peak resident memory (Linux's VmHWM, reset before each
statement). Before the caps were counted as rows arrived (and, on PostgreSQL, in the
database before sending), one `printf('%.300000000c', 'x')` or a recursive CTE
doubling a string grew the process by 400 to 600 MB.
"""

import contextlib
from pathlib import Path

import pytest
from django.db import connection

from scoping import agent_sql
from scoping.agent_sql import Refused, checks
from tests.scopes import as_
from tests.testapp.models import Memo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not Path("/proc/self/clear_refs").exists(), reason="needs Linux's /proc"
    ),
]

# What "a few MB" means here: the largest growth allowed for any one statement.
MAX_GROWTH_BYTES = 24 * 1024 * 1024


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def peak_growth(call) -> int:
    """How far the process's resident memory rose above where it was, in bytes."""
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from now
    baseline = _memory_kb("VmRSS")
    with contextlib.suppress(Refused):
        call()
    return (_memory_kb("VmHWM") - baseline) * 1024


@pytest.fixture
def many_memos(world):
    """300 memos of 1 KB for Alice: a cross join of them is 180 MB of text."""
    with as_(world.alice, world.acme):
        Memo.objects.bulk_create(
            Memo(
                title=f"n{i}",
                body="b" * 1000,
                owner_email=world.alice.email,
                org_id=world.acme.pk,
            )
            for i in range(300)
        )
    return world


HEAVY_QUERIES = [
    "SELECT printf('%.300000000c', 'x')",
    "SELECT a.body, b.body, c.body FROM testapp_memo a, testapp_memo b, testapp_memo c",
    "SELECT group_concat(a.body || b.body) FROM testapp_memo a, testapp_memo b",
    "SELECT a.body || b.body || a.body || b.body FROM testapp_memo a, testapp_memo b",
]


@pytest.mark.parametrize("sql", HEAVY_QUERIES)
def test_heavy_queries_stay_within_a_few_mb(many_memos, sql):
    with as_(many_memos.alice, many_memos.acme):
        agent_sql.run_query("SELECT 1 FROM testapp_memo LIMIT 1")  # warm up
        growth = peak_growth(lambda: agent_sql.run_query(sql))
    assert growth < MAX_GROWTH_BYTES, f"{growth / 2**20:.0f} MB"


BOMBS = {
    "sqlite": [
        "SELECT printf('%.300000000c', 'x')",
        "SELECT zeroblob(300000000)",
        "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r "
        "WHERE length(s) < 300000000) SELECT s FROM r",
    ],
    "postgresql": [
        "WITH RECURSIVE r(s) AS (SELECT 'x'::text UNION ALL SELECT s || s FROM r "
        "WHERE length(s) < 100000000) SELECT s FROM r",
        "SELECT string_agg(a.body || b.body, '') FROM testapp_memo a, testapp_memo b",
    ],
}


def test_bombs_past_the_parser_are_stopped_by_the_database(many_memos, monkeypatch):
    """With the checks off, the database's own limits (SQLite's length limit, the
    byte cap counted in PostgreSQL) still keep the process small."""
    monkeypatch.setattr(checks, "check", lambda statement, **kwargs: None)
    with as_(many_memos.alice, many_memos.acme):
        agent_sql.run_query("SELECT 1 FROM testapp_memo LIMIT 1")
        for sql in BOMBS[connection.vendor]:
            growth = peak_growth(lambda sql=sql: agent_sql.run_query(sql))
            assert growth < MAX_GROWTH_BYTES, (sql, f"{growth / 2**20:.0f} MB")


def test_the_measure_sees_a_large_allocation():
    """The measure is no placebo: 100 MB built in the process is seen."""
    growth = peak_growth(lambda: len("x" * 100_000_000))
    assert growth > 90 * 1024 * 1024
