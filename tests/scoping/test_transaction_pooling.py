"""Behind a transaction-pooling pgbouncer nothing of a scope outlives a transaction:
`migrate` and `flush`, whose scope is session-level, run in one transaction there."""

import pytest
from django.db import connection

from scoping.scopes import unscoped

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_schema_work_runs_in_one_transaction_under_transaction_pooling(settings):
    settings.DATABASE_POOLING = "transaction"
    with unscoped(reason="test", schema_changes=True):
        assert connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0].endswith("_unscoped")
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user = session_user")
        assert cursor.fetchone()[0]


def test_schema_work_manages_its_own_transactions_otherwise(settings):
    settings.DATABASE_POOLING = ""
    with unscoped(reason="test", schema_changes=True):
        assert not connection.in_atomic_block


def test_flush_under_transaction_pooling_empties_the_tables(settings, world):
    from django.core.management import call_command

    from tests.testapp.models import Memo

    settings.DATABASE_POOLING = "transaction"
    call_command("flush", interactive=False, verbosity=0)
    with unscoped(reason="test", audit=False):
        assert not Memo.objects.exists()
