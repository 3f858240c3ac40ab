"""A tool call owns its transaction, as an API call does (`one_action`): the token,
its user and membership in one query, then the scope, the write and its audit row
in one transaction with no savepoint (PostgreSQL, as a request runs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.actions.mcp_calls import bearer, call_tool
from tests.actions.test_round_trips import ONE_WRITE, kind_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_create_memo_over_mcp_makes_the_apis_round_trips(world):
    headers = bearer(world.alice)
    call_tool("create-memo", {"title": "warm up"}, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        result = call_tool("create-memo", {"title": "counted"}, headers=headers)
    assert result["isError"] is False
    assert [kind_of(q["sql"]) for q in queries.captured_queries] == ONE_WRITE
