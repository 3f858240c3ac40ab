"""Every change to notes, shared notes and notebooks, each audited. They run inside
the caller's scope, which decides whose rows exist; nothing here filters by owner or
org. Changes to what the org shares take the caller's `member`ship: its role and its
user decide who may (its author; for deleting, an admin or owner too)."""

from django.db import transaction

from accounts.services import audit_record
from config.errors import InvalidInput, NotFound, PermissionDenied
from notes.models import Note, Notebook, SharedNote
from notes.sanitize import clean_html
from orgs.models import Membership, Role
from scoping.context import current_org_id
from scoping.scopes import unscoped

CHOOSE_A_NOTEBOOK = "Choose the notebook to share it in."


def _title(value: str, field: str = "title") -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(fields={field: ["This field may not be blank."]})
    return value


def _notebook(notebook_id) -> Notebook | None:
    if notebook_id in (None, ""):
        return None
    notebook = Notebook.objects.filter(pk=notebook_id).first()
    if notebook is None:
        raise InvalidInput(fields={"notebook": ["No such notebook."]})
    return notebook


def _notebook_to_share_in(notebook_id) -> Notebook:
    notebook = _notebook(notebook_id)
    if notebook is None:
        raise InvalidInput(fields={"notebook": [CHOOSE_A_NOTEBOOK]})
    return notebook


def _acting(member: Membership | None) -> Membership:
    """The caller's membership, of the org the scope shows: a membership of another
    org must not lend its role here."""
    if member is None or member.org_id != current_org_id():
        raise PermissionDenied("Only a member of this organization can do this.")
    return member


def _shared_note(shared_note_id, *, lock: bool = False) -> SharedNote:
    rows = SharedNote.objects.select_for_update() if lock else SharedNote.objects
    shared = rows.filter(pk=shared_note_id).first()
    if shared is None:
        raise NotFound("No such shared note.")
    return shared


def _written_by(shared: SharedNote, member: Membership) -> bool:
    return shared.author_id == member.user_id


def _change(note: Note | SharedNote, changes: dict, *, notebook) -> None:
    """Set the title, body and notebook (`notebook` checks its id) `changes` names."""
    if "title" in changes:
        note.title = _title(changes["title"])
    if "body" in changes:
        note.body = clean_html(changes["body"])
    if "notebook_id" in changes:
        note.notebook = notebook(changes["notebook_id"])


# --- Private notes --------------------------------------------------------------------


def note_create(*, title: str, body: str = "", notebook_id=None) -> Note:
    note = Note.objects.create(
        title=_title(title), body=clean_html(body), notebook=_notebook(notebook_id)
    )
    audit_record(action="note.created", target=note)
    return note


def note_update(*, note_id: int, **changes) -> Note:
    note = Note.objects.filter(pk=note_id).first()
    if note is None:
        raise NotFound("No such note.")
    _change(note, changes, notebook=_notebook)
    note.save()
    audit_record(action="note.updated", target=note, metadata={"fields": [*changes]})
    return note


def note_delete(*, note_id: int) -> None:
    deleted, _ = Note.objects.filter(pk=note_id).delete()
    if not deleted:
        raise NotFound("No such note.")
    audit_record(action="note.deleted", metadata={"id": note_id})


@transaction.atomic
def note_share(*, member: Membership, note_id: int, notebook_id=None) -> SharedNote:
    """Move one of the caller's private notes into a notebook (by default the one it
    is filed in), where every member reads it. One note, in one place: the private
    row goes in the transaction that writes the shared one, or neither changes."""
    _acting(member)
    # Locked: two shares of one note at once must not make two shared copies.
    note = Note.objects.select_for_update().filter(pk=note_id).first()
    if note is None:
        raise NotFound("No such note.")
    notebook = _notebook_to_share_in(
        note.notebook_id if notebook_id is None else notebook_id
    )
    shared = SharedNote.objects.create(
        notebook=notebook,
        author=member.user,
        title=note.title,
        # Cleaned again: agent SQL may have written the private row past the services.
        body=clean_html(note.body),
        created_at=note.created_at,
    )
    Note.objects.filter(pk=note.pk).delete()
    audit_record(
        action="note.shared",
        target=shared,
        metadata={"note": note_id, "notebook": notebook.pk},
    )
    return shared


# --- Shared notes ---------------------------------------------------------------------


def shared_note_create(
    *, member: Membership, title: str, body: str = "", notebook_id
) -> SharedNote:
    """Write a note straight into a notebook, for every member to read."""
    _acting(member)
    shared = SharedNote.objects.create(
        title=_title(title),
        body=clean_html(body),
        notebook=_notebook_to_share_in(notebook_id),
        author=member.user,
    )
    audit_record(action="shared_note.created", target=shared)
    return shared


def shared_note_update(
    *, member: Membership, shared_note_id: int, **changes
) -> SharedNote:
    """Its author changes the title, the body or the notebook; nobody else does: an
    admin may remove what a member wrote, never rewrite it under their name."""
    _acting(member)
    shared = _shared_note(shared_note_id)
    if not _written_by(shared, member):
        raise PermissionDenied("Only its author can change a shared note.")
    _change(shared, changes, notebook=_notebook_to_share_in)
    shared.save()
    audit_record(
        action="shared_note.updated", target=shared, metadata={"fields": [*changes]}
    )
    return shared


@transaction.atomic
def shared_note_unshare(*, member: Membership, shared_note_id: int) -> Note:
    """Its author takes it back among their private notes, filed in the notebook it
    was shared in (where now only they see it). A move, as `note_share` is."""
    _acting(member)
    shared = _shared_note(shared_note_id, lock=True)
    if not _written_by(shared, member):
        raise PermissionDenied("Only its author can make a shared note private.")
    # The scope fills owner_email in: the caller's, who is its author.
    note = Note.objects.create(
        notebook=shared.notebook,
        title=shared.title,
        body=clean_html(shared.body),
        created_at=shared.created_at,
    )
    shared.delete()
    audit_record(
        action="note.unshared", target=note, metadata={"shared_note": shared_note_id}
    )
    return note


def shared_note_delete(*, member: Membership, shared_note_id: int) -> None:
    """Its author deletes it, or an admin or owner of the org."""
    _acting(member)
    shared = _shared_note(shared_note_id)
    if not (_written_by(shared, member) or member.has_role(Role.ADMIN)):
        raise PermissionDenied(
            "Only its author, an admin or an owner can delete a shared note."
        )
    shared.delete()
    audit_record(
        action="shared_note.deleted",
        metadata={"id": shared_note_id, "author": shared.author_id},
    )


# --- Notebooks ------------------------------------------------------------------------


def notebook_create(*, name: str) -> Notebook:
    notebook = Notebook.objects.create(name=_title(name, "name"))
    audit_record(action="notebook.created", target=notebook)
    return notebook


def notebook_update(*, notebook_id: int, name: str) -> Notebook:
    notebook = Notebook.objects.filter(pk=notebook_id).first()
    if notebook is None:
        raise NotFound("No such notebook.")
    notebook.name = _title(name, "name")
    notebook.save(update_fields=["name"])
    audit_record(action="notebook.renamed", target=notebook)
    return notebook


def notebook_delete(*, member: Membership, notebook_id: int) -> None:
    """Delete a notebook the scope sees, and the notes shared in it; every member's
    private notes filed in it stay, unfiled. A notebook that holds other members'
    shared notes (or those of a deleted account) only an admin or owner deletes."""
    _acting(member)
    notebook = Notebook.objects.filter(pk=notebook_id).first()
    if notebook is None:
        raise NotFound("No such notebook.")
    shared = notebook.shared_notes.all()
    if not member.has_role(Role.ADMIN) and shared.exclude(author=member.user).exists():
        raise PermissionDenied(
            "It holds notes other members shared: only an admin or an owner can "
            "delete it."
        )
    audit_record(
        action="notebook.deleted",
        target=notebook,
        metadata={"shared_notes_deleted": shared.count()},
    )
    # Other members' private notes point at it too, and the scope hides them.
    reason = f"delete notebook {notebook.pk}: unfile members' notes"
    with unscoped(reason=reason, audit=False):
        notebook.delete()
