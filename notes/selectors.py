"""Reads of notes, in the caller's scope: it decides whose private notes exist."""

from django.db.models import QuerySet

from notes.models import Note, SharedNote


def notes_matching(*, notebook_id=None, q: str = "") -> QuerySet[Note]:
    """The scope's private notes, newest first; in one notebook, titled with `q`."""
    notes = Note.objects.all()
    if notebook_id is not None:
        notes = notes.filter(notebook_id=notebook_id)
    if q:
        notes = notes.filter(title__icontains=q)
    return notes


def shared_notes_matching(*, notebook_id=None, q: str = "") -> QuerySet[SharedNote]:
    """The notes the scope's org shares, newest first, with their notebook and
    author; in one notebook, titled with `q`."""
    shared = SharedNote.objects.select_related("notebook", "author")
    if notebook_id is not None:
        shared = shared.filter(notebook_id=notebook_id)
    if q:
        shared = shared.filter(title__icontains=q)
    return shared
