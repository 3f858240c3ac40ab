"""Generated agent SQL, from a grammar over the agent's tables, other tables and the
catalogs, never returns another scope's row or an unscoped table's, never changes
one, and never fails with anything but a clear refusal (no 5xx): with the parser,
and with the database alone."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions import registry, runner
from config.errors import ApplicationError
from scoping.agent_sql import checks
from tests.scoping.test_agent_sql_defences import forbidden_values
from tests.scoping.test_agent_sql_hostile import everything

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COLUMNS = {
    "testapp_memo": ["title", "body", "owner_email", "org_id", "id", "folder_id"],
    "testapp_folder": ["name", "org_id", "id"],
    "a2a_a2atask": ["action", "context_id", "owner_email"],
    "accounts_user": ["email", "password", "id"],
    "django_session": ["session_key", "session_data"],
    "orgs_membership": ["role", "user_id", "org_id"],
    "accounts_apitoken": ["token_digest", "name"],
    "orgs_invitation": ["email", "token_digest"],
    "accounts_secret": ["name", "ciphertext"],
    "sqlite_master": ["name", "sql"],
    "pg_class": ["relname"],
    "pg_roles": ["rolname"],
}
TABLES = sorted(COLUMNS)
AGENT_TABLES = ["testapp_memo", "testapp_folder", "a2a_a2atask"]
# Mostly the agent's own tables, so that many statements pass the parser and the
# database's own walls are what the property tests.
LIKELY_TABLES = AGENT_TABLES * 4 + TABLES
SCHEMAS = ["main", "temp", "public", "pg_catalog", '"main"', "MAIN"]


@st.composite
def table_refs(draw):
    """A table name as an attacker might spell it."""
    table = draw(st.sampled_from(LIKELY_TABLES))
    spelling = draw(
        st.sampled_from(["plain"] * 6 + ["quoted", "upper", "qualified", "qualified"])
    )
    if spelling == "quoted":
        return table, f'"{table}"'
    if spelling == "upper":
        return table, table.upper()
    if spelling == "qualified":
        return table, f"{draw(st.sampled_from(SCHEMAS))}.{table}"
    return table, table


def selects(depth: int):
    @st.composite
    def build(draw):
        table, reference = draw(table_refs())
        column = draw(st.sampled_from([*COLUMNS[table], "*", "count(*)", "1"]))
        sql = f"SELECT {column} FROM {reference}"
        if depth > 0 and draw(st.booleans()):
            sql += f" WHERE {draw(conditions(depth - 1))}"
        if depth > 0 and draw(st.integers(0, 3)) == 0:
            sql = f"{sql} UNION ALL {draw(selects(depth - 1))}"
        return sql

    return build()


def queries(depth: int):
    @st.composite
    def build(draw):
        body = draw(selects(depth))
        shape = draw(st.sampled_from(["plain", "with", "shadow", "paren"]))
        if shape == "plain":
            return body
        name = draw(st.sampled_from(["x", *TABLES]))  # a CTE named like a table
        cte = draw(selects(max(depth - 1, 0)))
        if shape == "paren":
            return f"(WITH {name} AS ({cte}) SELECT * FROM {name}) UNION ALL {body}"
        if shape == "shadow":
            shadow = f"WITH {name} AS (SELECT 1 AS c) SELECT c FROM {name}"
            return f"{body} WHERE 1 = ({shadow})"
        return f"WITH {name} AS ({cte}) {body}"

    return build()


def conditions(depth: int):
    @st.composite
    def build(draw):
        kind = draw(st.sampled_from(["true", "exists", "in", "scalar", "shadow"]))
        inner = draw(queries(depth)) if depth >= 0 else "SELECT 1"
        name = draw(st.sampled_from(TABLES))
        return {
            "true": "1 = 1",
            "exists": f"EXISTS ({inner})",
            "in": f"1 IN ({inner})",
            "scalar": f"({inner}) IS NOT NULL",
            "shadow": f"1 = (WITH {name} AS (SELECT 1 AS c) SELECT c FROM {name})",
        }[kind]

    return build()


@st.composite
def writes(draw):
    target = draw(st.sampled_from(["testapp_memo"] * 4 + LIKELY_TABLES))
    column = draw(st.sampled_from(COLUMNS[target]))
    source = draw(queries(1))
    condition = draw(conditions(1))
    verb = draw(
        st.sampled_from(
            [
                "INSERT",
                "INSERT OR REPLACE",
                "REPLACE",
                "UPDATE",
                "DELETE",
                "UPDATE … FROM",
            ]
        )
    )
    if verb in ("INSERT", "INSERT OR REPLACE", "REPLACE"):
        into = "REPLACE INTO" if verb == "REPLACE" else f"{verb} INTO"
        return (
            f"{into} {target} (title, body, created_at, updated_at) "
            f"SELECT ({source}), '', '2026-01-01', '2026-01-01' WHERE {condition}"
        )
    if verb == "UPDATE":
        return f"UPDATE {target} SET {column} = ({source}) WHERE {condition}"
    if verb == "UPDATE … FROM":
        table, reference = draw(table_refs())
        pick = draw(st.sampled_from(COLUMNS[table]))
        return f"UPDATE {target} SET {column} = s.{pick} FROM {reference} AS s"
    return f"DELETE FROM {target} WHERE {condition}"


@pytest.fixture(params=["parser on", "parser off"])
def attack(request, world, monkeypatch):
    """Alice in Acme calls the SQL actions as an agent would; the state also holds
    a session and other secrets that must never come back."""
    session = SessionStore()
    session["marker"] = "a-session-nobody-else-may-read"
    session.create()
    for name in ("db-query", "db-exec"):
        monkeypatch.setattr(type(registry.get(name)), "throttle_rate", "1000000/min")
    ctx = {"user": world.alice, "caller": "agent", "org_id": world.acme.pk}
    forbidden = forbidden_values(world) | {session.session_key}
    if request.param == "parser off":
        monkeypatch.setattr(checks, "check", lambda statement, **kwargs: None)
    return ctx, forbidden


def _run(ctx, action: str, sql: str):
    """The action's answer, or None when it refused (never any other failure)."""
    try:
        return runner.call(registry.get(action), {"sql": sql}, **ctx)
    except ApplicationError:
        return None


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sql=queries(2))
def test_generated_queries_never_leak(attack, sql):
    ctx, forbidden = attack
    with transaction.atomic():
        answer = _run(ctx, "db-query", sql)
        transaction.set_rollback(True)
    for row in answer["rows"] if answer else []:
        for cell in row:
            assert not any(value in str(cell) for value in forbidden), (sql, row)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sql=writes())
def test_generated_writes_never_reach_past_the_scope(attack, world, sql):
    ctx, forbidden = attack
    before = everything()
    with transaction.atomic():
        _run(ctx, "db-exec", sql)
        after = everything()
        transaction.set_rollback(True)
    alice = world.alice.email
    assert [n for n in after["memos"] if n[2] != alice] == [
        n for n in before["memos"] if n[2] != alice
    ], sql
    for memo in after["memos"]:
        if memo[2] == alice:
            assert memo[3] == world.acme.pk, sql
            assert not any(value in str(memo[1]) for value in forbidden), sql
    acme = world.acme.pk
    assert [b for b in after["folders"] if b[2] != acme] == [
        b for b in before["folders"] if b[2] != acme
    ], sql
    for folder in after["folders"]:
        if folder[2] == acme:
            assert not any(value in folder[1] for value in forbidden), sql
    for part in ("users", "memberships"):
        assert after[part] == before[part], sql
