"""Inside a scope every statement sees and changes only the scope's rows; outside, none.

Runs on SQLite (temp views, triggers, write redirection) and on PostgreSQL (row level
security, as an ordinary role).
"""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from scoping.errors import ScopeViolation
from scoping.scopes import scope, unscoped
from tests.scopes import as_
from tests.testapp.models import Folder, Memo

pytestmark = pytest.mark.django_db

MEMO = Memo._meta.db_table
FOLDER = Folder._meta.db_table


def _raw_titles(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _everything(model, field):
    with unscoped(reason="test: look at every row"):
        return sorted(model.objects.values_list(field, flat=True))


def test_each_user_sees_only_their_memos_through_the_orm(world):
    with as_(world.alice, world.acme):
        assert list(Memo.objects.values_list("title", flat=True)) == ["alice's memo"]
    with as_(world.bob, world.bobco):
        assert list(Memo.objects.values_list("title", flat=True)) == ["bob's memo"]
    with as_(world.carol, world.acme):
        assert list(Memo.objects.values_list("title", flat=True)) == ["carol's memo"]


def test_folders_are_shared_by_the_orgs_members_only(world):
    with as_(world.alice, world.acme):
        assert list(Folder.objects.values_list("name", flat=True)) == ["Acme folder"]
    with as_(world.carol, world.acme):
        assert list(Folder.objects.values_list("name", flat=True)) == ["Acme folder"]
    with as_(world.bob, world.bobco):
        assert list(Folder.objects.values_list("name", flat=True)) == ["Bobco folder"]


def test_the_same_user_in_another_org_sees_that_orgs_rows(world):
    with scope(owner_email=world.alice.email, org_id=world.bobco.pk):
        assert Memo.objects.count() == 0
        assert list(Folder.objects.values_list("name", flat=True)) == ["Bobco folder"]


def test_raw_and_cursor_reads_are_filtered_too(world):
    with as_(world.alice, world.acme):
        raw = [memo.title for memo in Memo.objects.raw(f"SELECT * FROM {MEMO}")]
        assert raw == ["alice's memo"]
        assert _raw_titles(f"SELECT title FROM {MEMO}") == ["alice's memo"]
        assert _raw_titles(f"SELECT name FROM {FOLDER}") == ["Acme folder"]
        # A join and a subquery go through the same filter.
        assert _raw_titles(
            f"SELECT n.title FROM {MEMO} n WHERE n.id IN (SELECT id FROM {MEMO})"
        ) == ["alice's memo"]


# Every spelling SQLite resolves to the real table behind the scope view.
AROUND_THE_VIEW = [
    f"main.{MEMO}",
    f'"main"."{MEMO}"',
    f"MAIN . {MEMO}",
    f"main.'{MEMO}'",
    f"'main'.{MEMO}",
    f"main/**/.{MEMO}",
    f"main/* a comment */ . /**/{MEMO}",
    f"[main].[{MEMO}]",
    f"`main`.`{MEMO}`",
    f'"MAIN"."{MEMO.upper()}"',
    f"main.\n{MEMO}",
]


@pytest.mark.sqlite
@pytest.mark.parametrize("name", AROUND_THE_VIEW)
def test_sqlite_refuses_reading_around_the_views(world, name):
    with (
        as_(world.alice, world.acme),
        pytest.raises(ScopeViolation),
        transaction.atomic(),
    ):
        _raw_titles(f"SELECT title FROM {name}")


@pytest.mark.sqlite
@pytest.mark.parametrize("name", AROUND_THE_VIEW)
@pytest.mark.parametrize(
    "write",
    [
        f"UPDATE {MEMO} SET title = (SELECT max(title) FROM {{name}})",
        f"DELETE FROM {MEMO} WHERE id IN (SELECT id FROM {{name}})",
        f"INSERT INTO {MEMO} (title, body, created_at, updated_at) "
        "SELECT title, '', created_at, updated_at FROM {name}",
        "UPDATE orgs_organization SET name = (SELECT max(title) FROM {name})",
    ],
)
def test_sqlite_refuses_writes_that_read_around_the_views(world, name, write):
    before = _everything(Memo, "title")
    with (
        as_(world.alice, world.acme),
        pytest.raises(ScopeViolation),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(write.format(name=name))
    assert _everything(Memo, "title") == before


@pytest.mark.postgres
@pytest.mark.parametrize("name", [f"public.{MEMO}", f'"public"."{MEMO}"'])
def test_postgres_filters_schema_qualified_reads(world, name):
    with as_(world.alice, world.acme):
        assert _raw_titles(f"SELECT title FROM {name}") == ["alice's memo"]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL search_path TO pg_catalog")
            cursor.execute(f"SELECT count(*) FROM public.{MEMO}")
            assert cursor.fetchone() == (1,)


def test_outside_any_scope_scoped_tables_show_nothing(world):
    assert Memo.objects.count() == 0
    assert Folder.objects.count() == 0
    assert _raw_titles(f"SELECT title FROM {MEMO}") == []


def test_unscoped_system_work_sees_everything(world):
    assert _everything(Memo, "title") == ["alice's memo", "bob's memo", "carol's memo"]


def test_inserts_that_omit_the_scope_columns_get_them(world):
    with as_(world.alice, world.acme):
        Memo.objects.create(title="orm insert")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MEMO} (title, body, created_at, updated_at) "
                "VALUES (%s, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                ["raw insert"],
            )
        rows = Memo.objects.filter(title__in=["orm insert", "raw insert"])
        assert {(n.owner_email, n.org_id) for n in rows} == {
            (world.alice.email, world.acme.pk)
        }
        assert rows.count() == 2


@pytest.mark.parametrize(
    "values",
    [
        {"owner_email": "bob@bobco.test"},
        {"org_id": "bobco"},
        {"owner_email": "bob@bobco.test", "org_id": "bobco"},
    ],
)
def test_an_insert_into_another_scope_is_refused_and_writes_nothing(world, values):
    values = {k: (world.bobco.pk if v == "bobco" else v) for k, v in values.items()}
    before = _everything(Memo, "title")
    with as_(world.alice, world.acme):
        with pytest.raises(DatabaseError), transaction.atomic():
            Memo.objects.create(title="planted", **values)
        columns = ", ".join(values)
        marks = ", ".join(["%s"] * len(values))
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO {MEMO} (title, body, created_at, updated_at, "
                f"{columns}) VALUES ('planted', '', CURRENT_TIMESTAMP, "
                f"CURRENT_TIMESTAMP, {marks})",
                [
                    v.hex
                    if isinstance(v, uuid.UUID) and connection.vendor == "sqlite"
                    else v
                    for v in values.values()
                ],
            )
    assert _everything(Memo, "title") == before


def test_moving_a_row_out_of_the_scope_is_refused(world):
    with as_(world.alice, world.acme):
        with pytest.raises(DatabaseError), transaction.atomic():
            Memo.objects.filter(pk=world.alice_memo.pk).update(
                owner_email="bob@bobco.test"
            )
        with pytest.raises(DatabaseError), transaction.atomic():
            Folder.objects.filter(pk=world.acme_folder.pk).update(org=world.bobco)
    with unscoped(reason="test"):
        memo = Memo.objects.get(pk=world.alice_memo.pk)
        assert (memo.owner_email, memo.org_id) == (world.alice.email, world.acme.pk)
        assert Folder.objects.get(pk=world.acme_folder.pk).org_id == world.acme.pk


def test_updating_or_deleting_anothers_row_changes_nothing(world):
    with as_(world.alice, world.acme):
        assert Memo.objects.filter(pk=world.bob_memo.pk).update(title="hacked") == 0
        assert Memo.objects.filter(pk=world.carol_memo.pk).delete()[0] == 0
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {MEMO} SET title = 'hacked'")
            assert cursor.rowcount == 1  # only alice's own
            cursor.execute(f"DELETE FROM {MEMO} WHERE id = %s", [world.bob_memo.pk])
            assert cursor.rowcount == 0
            cursor.execute(f"DELETE FROM {FOLDER}")
            assert cursor.rowcount == 1  # only Acme's
    assert _everything(Memo, "title") == ["bob's memo", "carol's memo", "hacked"]
    assert _everything(Folder, "name") == ["Bobco folder"]


@pytest.mark.django_db(transaction=True)
def test_a_scope_outside_a_transaction_opens_one(world):
    assert not connection.in_atomic_block
    with as_(world.alice, world.acme):
        assert connection.in_atomic_block
    assert not connection.in_atomic_block


def test_a_nested_scope_restores_the_outer_one(world):
    with as_(world.alice, world.acme):
        with as_(world.bob, world.bobco):
            assert list(Memo.objects.values_list("title", flat=True)) == ["bob's memo"]
        assert list(Memo.objects.values_list("title", flat=True)) == ["alice's memo"]
    assert Memo.objects.count() == 0


def test_a_scope_needs_an_identity():
    with pytest.raises(ValueError, match="needs"):
        scope(owner_email=None, org_id=None).__enter__()


def test_a_replace_cannot_take_over_anothers_row(world):
    """SQLite's REPLACE deleted the conflicting row (another scope's) without firing
    the delete trigger; recursive triggers make it go through it. PostgreSQL's
    upsert meets row level security on the conflicting row."""
    if connection.vendor == "sqlite":
        takeover = (
            f"INSERT OR REPLACE INTO {MEMO} (id, title, body, created_at, updated_at)"
            " VALUES (%s, 'taken', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    else:
        takeover = (
            f"INSERT INTO {MEMO} (id, title, body, created_at, updated_at) VALUES "
            "(%s, 'taken', '', now(), now()) "
            "ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title"
        )
    with (
        as_(world.alice, world.acme),
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(takeover, [world.bob_memo.pk])
    assert _everything(Memo, "title") == ["alice's memo", "bob's memo", "carol's memo"]
