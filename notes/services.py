"""Every change to notes and notebooks, each audited. They run inside the caller's
scope, which decides whose rows exist; nothing here filters by owner or org."""

from accounts.services import audit_record
from config.errors import InvalidInput, NotFound
from notes.models import Note, Notebook
from notes.sanitize import clean_html
from scoping.scopes import unscoped


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
    if "title" in changes:
        note.title = _title(changes["title"])
    if "body" in changes:
        note.body = clean_html(changes["body"])
    if "notebook_id" in changes:
        note.notebook = _notebook(changes["notebook_id"])
    note.save()
    audit_record(action="note.updated", target=note, metadata={"fields": [*changes]})
    return note


def note_delete(*, note_id: int) -> None:
    deleted, _ = Note.objects.filter(pk=note_id).delete()
    if not deleted:
        raise NotFound("No such note.")
    audit_record(action="note.deleted", metadata={"id": note_id})


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


def notebook_delete(*, notebook_id: int) -> None:
    """Delete a notebook the scope sees; every member's notes in it stay, unfiled."""
    notebook = Notebook.objects.filter(pk=notebook_id).first()
    if notebook is None:
        raise NotFound("No such notebook.")
    # Other members' private notes point at it too, and the scope hides them.
    audit_record(action="notebook.deleted", target=notebook)
    reason = f"delete notebook {notebook.pk}: unfile members' notes"
    with unscoped(reason=reason, audit=False):
        notebook.delete()
