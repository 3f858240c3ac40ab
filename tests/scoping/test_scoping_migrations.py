"""Schema changes work while other connections are inside a scope."""

import threading

import pytest
from django.db import connection, connections

from scoping.scopes import scope, unscoped
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "scratch_items"


def _create_scratch_table(org_id):
    org_type = "uuid" if connection.vendor == "postgresql" else "char(32)"
    with unscoped(reason="test: scratch table", schema_changes=True):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, owner_email "
                f"varchar(254), org_id {org_type}, extra text)"
            )
        from scoping import signals

        signals.install(connection)  # as migrate does: policies, grants


@pytest.fixture
def scratch():
    from orgs import services

    user = UserFactory(email="a@x.test")
    org = services.org_create(user=user, name="X")
    _create_scratch_table(org.pk)
    value = org.pk if connection.vendor == "postgresql" else org.pk.hex
    with unscoped(reason="test: seed"), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (id, owner_email, org_id, extra) VALUES "
            "(1, %s, %s, 'x'), (2, 'other@x.test', %s, 'y')",
            [user.email, value, value],
        )
    yield user, org
    with (
        unscoped(reason="test: drop scratch", schema_changes=True),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def test_dropping_a_column_succeeds_while_another_connection_is_in_a_scope(scratch):
    user, org = scratch
    entered, done = threading.Event(), threading.Event()
    seen = {}

    def request_in_scope():
        try:
            with scope(owner_email=user.email, org_id=org.pk):
                with connections["default"].cursor() as cursor:
                    cursor.execute(f"SELECT id FROM {TABLE}")
                    seen["before"] = cursor.fetchall()
                entered.set()
                done.wait(timeout=0.5)  # the request goes on a little
        finally:
            connections["default"].close()

    thread = threading.Thread(target=request_in_scope)
    thread.start()
    assert entered.wait(timeout=10)
    with (
        unscoped(reason="test: migrate", schema_changes=True),
        connection.schema_editor() as editor,
    ):
        editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN extra")
        editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN added text")
    done.set()
    thread.join(timeout=30)
    assert seen["before"] == [(1,)]

    # A new scope on any connection sees the new shape, and still only its rows.
    with scope(owner_email=user.email, org_id=org.pk), connection.cursor() as cursor:
        cursor.execute(f"SELECT id, added FROM {TABLE}")
        assert cursor.fetchall() == [(1, None)]
