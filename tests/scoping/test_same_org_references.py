"""A row of one org references only rows of that org, whoever writes it.

Foreign keys are checked by the database past the scope (on PostgreSQL as the table
owner, without row level security), so a plain key let a note point at another
org's notebook and learn that it exists. Every reference between org-scoped tables
carries the org: a composite key on PostgreSQL, triggers on SQLite.
"""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from notes import services as notes
from notes.models import Note, Notebook
from scoping import agent_sql, registry
from scoping.agent_sql import Refused
from scoping.scopes import unscoped
from tests.scopes import as_

pytestmark = pytest.mark.django_db


def _notebook_of(note_pk):
    with unscoped(reason="test"):
        return Note.objects.get(pk=note_pk).notebook_id


def test_the_reference_from_notes_to_notebooks_is_found():
    assert registry.org_references(connection) == [
        registry.OrgReference("notes_note", "notebook_id", "notes_notebook", "id")
    ]


def test_the_orm_cannot_point_a_note_at_another_orgs_notebook(world):
    with as_(world.alice, world.acme):
        with pytest.raises(IntegrityError), transaction.atomic():
            Note.objects.create(title="x", notebook_id=world.bobco_book.pk)
        note = Note.objects.get(pk=world.alice_note.pk)
        note.notebook_id = world.bobco_book.pk
        with pytest.raises(IntegrityError), transaction.atomic():
            note.save()
        note.notebook_id = world.acme_book.pk
        note.save()  # its own org's notebook is fine
    assert _notebook_of(world.alice_note.pk) == world.acme_book.pk


def test_raw_sql_cannot_point_a_note_at_another_orgs_notebook(world):
    with (
        as_(world.alice, world.acme),
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE notes_note SET notebook_id = %s", [world.bobco_book.pk])
    assert _notebook_of(world.alice_note.pk) is None


def test_agent_sql_cannot_point_a_note_at_another_orgs_notebook(world):
    with as_(world.alice, world.acme), pytest.raises(Refused):
        agent_sql.run_exec(
            "UPDATE notes_note SET notebook_id = ?", [world.bobco_book.pk]
        )
    assert _notebook_of(world.alice_note.pk) is None


def test_even_unscoped_code_cannot_link_across_orgs(world):
    with (
        unscoped(reason="test"),
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        Note.objects.filter(pk=world.alice_note.pk).update(
            notebook_id=world.bobco_book.pk
        )
    assert _notebook_of(world.alice_note.pk) is None


def test_a_referenced_notebook_cannot_move_to_another_org(world):
    with as_(world.alice, world.acme):
        note = notes.note_create(title="filed")
        Note.objects.filter(pk=note.pk).update(notebook=world.acme_book)
    with unscoped(reason="test"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notebook.objects.filter(pk=world.acme_book.pk).update(org=world.bobco)
        assert Notebook.objects.get(pk=world.acme_book.pk).org_id == world.acme.pk


def test_deleting_a_notebook_still_files_its_notes_nowhere(world):
    """Django's SET_NULL still works: the check allows a note with no notebook."""
    with as_(world.alice, world.acme):
        note = notes.note_create(title="filed")
        Note.objects.filter(pk=note.pk).update(notebook=world.acme_book)
        notes.notebook_delete(notebook_id=world.acme_book.pk)
    assert _notebook_of(note.pk) is None
