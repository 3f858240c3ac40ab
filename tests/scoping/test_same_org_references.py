"""A row of one org references only rows of that org, whoever writes it.

Foreign keys are checked by the database past the scope (on PostgreSQL as the table
owner, without row level security), so a plain key let a memo point at another
org's folder and learn that it exists. Every reference between org-scoped tables
carries the org: a composite key on PostgreSQL, triggers on SQLite.
"""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from scoping import agent_sql, registry
from scoping.agent_sql import Refused
from scoping.scopes import unscoped
from tests.scopes import as_
from tests.testapp import services as memos
from tests.testapp.models import Folder, Memo

pytestmark = pytest.mark.django_db


def _folder_of(memo_pk):
    with unscoped(reason="test"):
        return Memo.objects.get(pk=memo_pk).folder_id


def test_the_reference_from_memos_to_folders_is_found():
    references = registry.org_references(connection)
    memo_to_folder = ("testapp_memo", "folder_id", "testapp_folder", "id")
    assert registry.OrgReference(*memo_to_folder) in references
    # The org column itself points at the org, not at another org-scoped row.
    assert all(reference.column != "org_id" for reference in references)


def test_the_orm_cannot_point_a_memo_at_another_orgs_folder(world):
    with as_(world.alice, world.acme):
        with pytest.raises(IntegrityError), transaction.atomic():
            Memo.objects.create(title="x", folder_id=world.bobco_folder.pk)
        memo = Memo.objects.get(pk=world.alice_memo.pk)
        memo.folder_id = world.bobco_folder.pk
        with pytest.raises(IntegrityError), transaction.atomic():
            memo.save()
        memo.folder_id = world.acme_folder.pk
        memo.save()  # its own org's folder is fine
    assert _folder_of(world.alice_memo.pk) == world.acme_folder.pk


def test_raw_sql_cannot_point_a_memo_at_another_orgs_folder(world):
    with (
        as_(world.alice, world.acme),
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE testapp_memo SET folder_id = %s", [world.bobco_folder.pk]
        )
    assert _folder_of(world.alice_memo.pk) is None


def test_agent_sql_cannot_point_a_memo_at_another_orgs_folder(world):
    with as_(world.alice, world.acme), pytest.raises(Refused):
        agent_sql.run_exec(
            "UPDATE testapp_memo SET folder_id = ?", [world.bobco_folder.pk]
        )
    assert _folder_of(world.alice_memo.pk) is None


def test_even_unscoped_code_cannot_link_across_orgs(world):
    with (
        unscoped(reason="test"),
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        Memo.objects.filter(pk=world.alice_memo.pk).update(
            folder_id=world.bobco_folder.pk
        )
    assert _folder_of(world.alice_memo.pk) is None


def test_a_referenced_folder_cannot_move_to_another_org(world):
    with as_(world.alice, world.acme):
        memo = memos.memo_create(title="filed")
        Memo.objects.filter(pk=memo.pk).update(folder=world.acme_folder)
    with unscoped(reason="test"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Folder.objects.filter(pk=world.acme_folder.pk).update(org=world.bobco)
        assert Folder.objects.get(pk=world.acme_folder.pk).org_id == world.acme.pk


def test_deleting_a_folder_still_files_its_memos_nowhere(world):
    """Django's SET_NULL still works: the check allows a memo with no folder."""
    with as_(world.alice, world.acme):
        memo = memos.memo_create(title="filed")
        Memo.objects.filter(pk=memo.pk).update(folder=world.acme_folder)
        memos.folder_delete(folder_id=world.acme_folder.pk)
    assert _folder_of(memo.pk) is None
