"""Sharing: a private note moves into a notebook and back, and the role rules for
what the org shares — its author changes it, its author or an admin deletes it."""

from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection

from accounts.models import AuditEvent
from config.errors import InvalidInput, NotFound, PermissionDenied
from notes import services
from notes.models import Note, Notebook, SharedNote
from scoping.scopes import unscoped
from tests.actions.conftest import erin  # noqa: F401 - fixture
from tests.notes.conftest import membership
from tests.scopes import as_

pytestmark = pytest.mark.django_db


def _as_member(user, org):
    """The scope of `user` in `org`, and their membership: what an action passes."""
    return as_(user, org), membership(user, org)


def _exists(model, pk) -> bool:
    with unscoped(reason="test: is the row there"):
        return model.objects.filter(pk=pk).exists()


def _shared(pk) -> SharedNote:
    with unscoped(reason="test: the shared note as stored"):
        return SharedNote.objects.select_related("author", "notebook").get(pk=pk)


def _carols(world, *, own_notebook: bool = False) -> SharedNote:
    """A note Carol, a member, shared in Acme's notebook or in a new one."""
    scope, carol = _as_member(world.carol, world.acme)
    with scope:
        book = services.notebook_create(name="Carol's") if own_notebook else None
        return services.shared_note_create(
            member=carol,
            title="carol's",
            notebook_id=(book or world.acme_book).pk,
        )


# --- Writing and moving ---------------------------------------------------------------


def test_a_shared_note_records_its_author_and_a_clean_body(world):
    scope, carol = _as_member(world.carol, world.acme)
    with scope:
        shared = services.shared_note_create(
            member=carol,
            title="Plans",
            body='<p onclick="x()">hi</p><script>1</script>',
            notebook_id=world.acme_book.pk,
        )
    stored = _shared(shared.pk)
    assert (stored.author, stored.body, stored.org_id) == (
        world.carol,
        "<p>hi</p>1",
        world.acme.pk,
    )


@pytest.mark.parametrize("where", ["none", "another org's"])
def test_a_shared_note_goes_only_into_a_notebook_of_the_org(world, where):
    notebook_id = None if where == "none" else world.bobco_book.pk
    scope, alice = _as_member(world.alice, world.acme)
    with scope, pytest.raises(InvalidInput) as error:
        services.shared_note_create(member=alice, title="t", notebook_id=notebook_id)
    assert list(error.value.fields) == ["notebook"]


def test_sharing_moves_the_private_note_into_the_notebook(world):
    scope, alice = _as_member(world.alice, world.acme)
    with scope:
        services.note_update(note_id=world.alice_note.pk, body="<p>draft</p>")
        note = Note.objects.get(pk=world.alice_note.pk)
        shared = services.note_share(
            member=alice, note_id=note.pk, notebook_id=world.acme_book.pk
        )
    assert not _exists(Note, note.pk)
    stored = _shared(shared.pk)
    assert (stored.title, stored.body, stored.author, stored.notebook) == (
        "alice's note",
        "<p>draft</p>",
        world.alice,
        world.acme_book,
    )
    assert stored.created_at == note.created_at
    event = AuditEvent.objects.get(action="note.shared")
    assert event.target_id == str(shared.pk)
    assert event.metadata == {"note": note.pk, "notebook": world.acme_book.pk}


def test_sharing_uses_the_notebook_the_note_is_filed_in(world):
    scope, alice = _as_member(world.alice, world.acme)
    with scope:
        services.note_update(
            note_id=world.alice_note.pk, notebook_id=world.acme_book.pk
        )
        shared = services.note_share(member=alice, note_id=world.alice_note.pk)
    assert shared.notebook == world.acme_book


def test_an_unfiled_note_is_shared_only_into_a_notebook_named(world):
    scope, alice = _as_member(world.alice, world.acme)
    with scope, pytest.raises(InvalidInput) as error:
        services.note_share(member=alice, note_id=world.alice_note.pk)
    assert error.value.fields == {"notebook": ["Choose the notebook to share it in."]}
    assert _exists(Note, world.alice_note.pk)


def test_only_your_own_private_note_can_be_shared(world):
    scope, alice = _as_member(world.alice, world.acme)
    with scope, pytest.raises(NotFound):
        services.note_share(
            member=alice, note_id=world.carol_note.pk, notebook_id=world.acme_book.pk
        )
    assert _exists(Note, world.carol_note.pk)


@contextmanager
def _deleting_private_notes_fails():
    """The database refuses to delete a private note: the move's second step fails
    for real. The trigger goes with the test's transaction."""
    if connection.vendor == "postgresql":
        statements = [
            "CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
            "CREATE TRIGGER test_refuse BEFORE DELETE ON notes_note "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse()",
        ]
    else:
        statements = [
            "CREATE TRIGGER main.test_refuse BEFORE DELETE ON notes_note "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
    # As the tables' owner, who may add a trigger.
    with unscoped(reason="test: a failing delete"), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    yield


def test_sharing_is_one_move_a_failure_leaves_the_private_note(world):
    scope, alice = _as_member(world.alice, world.acme)
    with _deleting_private_notes_fails(), scope:
        with pytest.raises(DatabaseError):
            services.note_share(
                member=alice,
                note_id=world.alice_note.pk,
                notebook_id=world.acme_book.pk,
            )
        # Still inside the caller's transaction: only the move's writes are undone.
        assert Note.objects.filter(pk=world.alice_note.pk).exists()
        assert not SharedNote.objects.filter(title="alice's note").exists()
        assert not AuditEvent.objects.filter(action="note.shared").exists()


def test_unsharing_brings_it_back_among_the_authors_private_notes(world):
    scope, alice = _as_member(world.alice, world.acme)
    with scope:
        note = services.shared_note_unshare(
            member=alice, shared_note_id=world.alice_shared.pk
        )
        assert Note.objects.get(pk=note.pk).notebook == world.acme_book
    assert not _exists(SharedNote, world.alice_shared.pk)
    with unscoped(reason="test: whose note it is"):
        stored = Note.objects.get(pk=note.pk)
    assert (stored.owner_email, stored.title, stored.body) == (
        world.alice.email,
        "alice's shared note",
        "<p>For everyone</p>",
    )
    # Private again: another member's scope no longer has it.
    with as_(world.carol, world.acme):
        assert not Note.objects.filter(pk=note.pk).exists()
        assert not SharedNote.objects.filter(pk=world.alice_shared.pk).exists()


# --- Who may --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_only_its_author_makes_a_shared_note_private(world, erin, who):  # noqa: F811
    user = {"carol": world.carol, "erin": erin}[who]
    scope, member = _as_member(user, world.acme)
    with scope, pytest.raises(PermissionDenied):
        services.shared_note_unshare(
            member=member, shared_note_id=world.alice_shared.pk
        )
    assert _exists(SharedNote, world.alice_shared.pk)


def test_only_its_author_changes_a_shared_note_not_even_an_owner(world):
    carols = _carols(world)
    scope, carol = _as_member(world.carol, world.acme)
    with scope:
        services.shared_note_update(member=carol, shared_note_id=carols.pk, body="b")
    scope, alice = _as_member(world.alice, world.acme)  # Acme's owner
    with scope, pytest.raises(PermissionDenied):
        services.shared_note_update(member=alice, shared_note_id=carols.pk, title="x")
    assert (_shared(carols.pk).title, _shared(carols.pk).body) == ("carol's", "b")


def test_a_member_deletes_only_her_own_shared_notes(world):
    carols = _carols(world)
    scope, carol = _as_member(world.carol, world.acme)
    with scope:
        with pytest.raises(PermissionDenied):
            services.shared_note_delete(
                member=carol, shared_note_id=world.alice_shared.pk
            )
        services.shared_note_delete(member=carol, shared_note_id=carols.pk)
    assert _exists(SharedNote, world.alice_shared.pk)
    assert not _exists(SharedNote, carols.pk)


def test_an_admin_deletes_anyones_shared_note(world, erin):  # noqa: F811
    scope, admin = _as_member(erin, world.acme)
    with scope:
        services.shared_note_delete(member=admin, shared_note_id=world.alice_shared.pk)
    assert not _exists(SharedNote, world.alice_shared.pk)
    event = AuditEvent.objects.get(action="shared_note.deleted")
    assert event.metadata == {"id": world.alice_shared.pk, "author": world.alice.pk}


def test_a_membership_of_another_org_lends_no_role(world):
    with as_(world.alice, world.acme), pytest.raises(PermissionDenied):
        services.shared_note_delete(
            member=membership(world.bob, world.bobco),
            shared_note_id=world.alice_shared.pk,
        )
    assert _exists(SharedNote, world.alice_shared.pk)


def test_another_orgs_shared_note_is_not_found(world, erin):  # noqa: F811
    scope, admin = _as_member(erin, world.acme)
    with scope, pytest.raises(NotFound):
        services.shared_note_delete(member=admin, shared_note_id=world.bob_shared.pk)
    assert _exists(SharedNote, world.bob_shared.pk)


# --- Deleting a notebook --------------------------------------------------------------


def test_a_member_deletes_a_notebook_holding_only_her_shared_notes(world):
    carols = _carols(world, own_notebook=True)
    scope, carol = _as_member(world.carol, world.acme)
    with scope:
        services.notebook_delete(member=carol, notebook_id=carols.notebook_id)
    assert not _exists(Notebook, carols.notebook_id)
    assert not _exists(SharedNote, carols.pk)
    assert AuditEvent.objects.get(action="notebook.deleted").metadata == {
        "shared_notes_deleted": 1
    }


def test_a_notebook_with_others_shared_notes_needs_an_admin(world):
    scope, carol = _as_member(world.carol, world.acme)
    with scope, pytest.raises(PermissionDenied):
        services.notebook_delete(member=carol, notebook_id=world.acme_book.pk)
    assert _exists(Notebook, world.acme_book.pk)
    assert _exists(SharedNote, world.alice_shared.pk)


def test_a_note_whose_author_is_gone_counts_as_someone_elses(world):
    carols = _carols(world, own_notebook=True)
    with unscoped(reason="test: its author's account is gone"):
        SharedNote.objects.filter(pk=carols.pk).update(author=None)
    scope, carol = _as_member(world.carol, world.acme)
    with scope, pytest.raises(PermissionDenied):
        services.notebook_delete(member=carol, notebook_id=carols.notebook_id)
    assert _exists(SharedNote, carols.pk)


def test_an_admin_deletes_a_notebook_its_shared_notes_go_private_ones_stay(
    world,
    erin,  # noqa: F811
):
    with as_(world.carol, world.acme):
        services.note_update(
            note_id=world.carol_note.pk, notebook_id=world.acme_book.pk
        )
    scope, admin = _as_member(erin, world.acme)
    with scope:
        services.notebook_delete(member=admin, notebook_id=world.acme_book.pk)
    assert not _exists(SharedNote, world.alice_shared.pk)
    with as_(world.carol, world.acme):
        assert Note.objects.get(pk=world.carol_note.pk).notebook is None
