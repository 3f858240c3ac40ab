"""Entering a scope costs one statement on PostgreSQL, however many tables are scoped.

(Timings belong to `make bench`; this counts statements.)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoping.engines.postgresql import install_policies
from scoping.scopes import scope, unscoped

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _statements_to_enter_a_scope(org_id) -> list[str]:
    with (
        CaptureQueriesContext(connection) as queries,
        scope(owner_email="a@x.test", org_id=org_id),
    ):
        pass
    # BEGIN/COMMIT are the transaction a request has anyway; the rest is the scope's.
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"] not in ("BEGIN", "COMMIT")
    ]


@pytest.fixture
def many_scoped_tables():
    names = [f"extra_scoped_{i}" for i in range(20)]
    with unscoped(reason="test", schema_changes=True), connection.cursor() as cursor:
        for name in names:
            cursor.execute(
                f"CREATE TABLE {name} (id int, owner_email text, org_id uuid)"
            )
        install_policies(connection)
    yield
    with unscoped(reason="test", schema_changes=True), connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE {name}")


def test_one_statement_per_scope_entry(world):
    [statement] = _statements_to_enter_a_scope(world.acme.pk)
    assert statement.startswith("SELECT set_config('scoping.owner_email'")


def test_the_cost_does_not_grow_with_the_number_of_scoped_tables(
    world, many_scoped_tables
):
    assert len(_statements_to_enter_a_scope(world.acme.pk)) == 1
