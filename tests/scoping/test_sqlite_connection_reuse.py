"""SQLite keeps its connection, and the scope's temp objects, across requests.

Rebuilding the views and triggers on every request cost 5 ms at 5 scoped tables and
15 to 19 ms at 54. They are built once per connection, and again only when the
schema changed under it (a migration by another process).
"""

import sqlite3

import pytest
from django.conf import settings
from django.db import connection

from scoping.scopes import scope, sqlite_engine
from tests.scopes import as_

pytestmark = pytest.mark.sqlite


def test_connections_are_kept_across_requests():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


@pytest.mark.django_db
def test_the_temp_objects_are_built_once_per_connection(world, monkeypatch):
    engine = sqlite_engine(connection)
    installs = []
    monkeypatch.setattr(engine, "install", lambda: installs.append(1))
    for _ in range(3):
        with as_(world.alice, world.acme), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM testapp_memo")
            assert cursor.fetchone() == (1,)
    assert installs == []


@pytest.mark.django_db(transaction=True)
def test_a_table_another_process_adds_is_scoped_at_the_next_scope(world):
    with as_(world.alice, world.acme):  # this connection's objects are built
        pass
    other = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        other.executescript(
            f"""
            CREATE TABLE team_widgets (id integer PRIMARY KEY, owner_email text,
                                       org_id char(32), name text);
            INSERT INTO team_widgets VALUES
                (1, '{world.alice.email}', '{world.acme.pk.hex}', 'mine'),
                (2, '{world.bob.email}', '{world.bobco.pk.hex}', 'bobs');
            """
        )
        other.commit()
        with (
            scope(owner_email=world.alice.email, org_id=world.acme.pk),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT name FROM team_widgets")
            assert cursor.fetchall() == [("mine",)]
    finally:
        other.execute("DROP TABLE team_widgets")
        other.commit()
        other.close()


@pytest.mark.django_db
def test_an_insert_that_names_its_scope_columns_is_not_parsed(world, monkeypatch):
    """The ORM's inserts always name them: a scoped insert costs no SQL parsing."""
    from scoping.engines import sqlite as engine
    from tests.testapp.models import Memo

    parsed = []
    real = engine.sqlglot.parse_one
    monkeypatch.setattr(
        engine.sqlglot, "parse_one", lambda *a, **k: parsed.append(a) or real(*a, **k)
    )
    with as_(world.alice, world.acme):
        Memo.objects.create(title="orm")
        assert parsed == []
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO testapp_memo (title, body, created_at, updated_at) "
                "VALUES ('raw', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        assert len(parsed) == 1  # this one leaves them out: they are added
        assert Memo.objects.filter(title="raw").count() == 1
