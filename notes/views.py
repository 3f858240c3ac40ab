"""The notes pages: the browser calls the same actions agents and the CLI call.

Which notes a page can show is the scope's answer, not the view's: a member's
private notes never reach another member's page because their database never
returns them. A view only chooses what to offer (edit, share, delete) to whom.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from actions import registry, runner
from config.errors import ApplicationError, NotFound
from config.pages import attach_error, flash_error, flash_form_errors
from notes.forms import NewNoteForm, NotebookForm, NoteForm, SharedNoteForm, ShareForm
from notes.models import Visibility


def _in_an_org(view):
    """Notes live in an organization: without one, the list says how to get one."""

    @wraps(view)
    def in_an_org(request, *args, **kwargs):
        if request.org is None:
            return redirect("notes:list")
        return view(request, *args, **kwargs)

    return in_an_org


def _call(request, name: str, data: dict):
    return runner.execute(registry.get(name), request.ctx, data)


def _written_by_you(request, shared_note: dict) -> bool:
    return shared_note["author_email"] == request.user.email


# --- The list and private notes -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def note_list(request):
    if request.org is None:
        return render(request, "notes/list.html", {"no_org": True})
    notebooks = _call(request, "list-notebooks", {})
    form = NewNoteForm(
        request.POST or None, notebooks=notebooks, org_name=request.org.name
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        shared = data.pop("visibility") == Visibility.SHARED
        try:
            note = _call(
                request, "create-shared-note" if shared else "create-note", data
            )
        except ApplicationError as error:
            attach_error(form, error)
        else:
            if shared:
                messages.success(request, _shared_message(request, note))
                return redirect("notes:shared", note["id"])
            messages.success(request, "Your note is saved: only you can see it.")
            return redirect("notes:list")
    context = {
        "notes": _call(request, "list-notes", {"limit": 200}),
        "notebooks": notebooks,
        "form": form,
        "notebook_form": NotebookForm(),
    }
    return render(request, "notes/list.html", context)


def _shared_message(request, shared_note: dict) -> str:
    return (
        f"Your note is shared with {request.org.name} in "
        f"{shared_note['notebook_name']}: every member can read it."
    )


@require_http_methods(["GET", "POST"])
@_in_an_org
def note_edit(request, note_id: int):
    try:
        note = _call(request, "get-note", {"id": note_id})
    except NotFound:
        messages.error(request, "That note does not exist, or it is not yours.")
        return redirect("notes:list")
    notebooks = _call(request, "list-notebooks", {})
    form = NoteForm(request.POST or None, initial=note, notebooks=notebooks)
    if request.method == "POST" and form.is_valid():
        try:
            _call(request, "update-note", {"id": note_id, **form.cleaned_data})
        except ApplicationError as error:
            attach_error(form, error)
        else:
            messages.success(request, "Your note is saved.")
            return redirect("notes:list")
    share_form = ShareForm(initial={"notebook": note["notebook"]}, notebooks=notebooks)
    context = {"note": note, "form": form, "share_form": share_form}
    return render(request, "notes/edit.html", context)


@require_POST
@_in_an_org
def note_share(request, note_id: int):
    form = ShareForm(request.POST, notebooks=_call(request, "list-notebooks", {}))
    data = flash_form_errors(request, form)
    if data is None:
        return redirect("notes:edit", note_id)
    try:
        shared = _call(request, "share-note", {"id": note_id, **data})
    except ApplicationError as error:
        flash_error(request, error)
        return redirect("notes:edit", note_id)
    messages.success(request, _shared_message(request, shared))
    return redirect("notes:shared", shared["id"])


@require_POST
@_in_an_org
def note_delete(request, note_id: int):
    try:
        _call(request, "delete-note", {"id": note_id})
    except ApplicationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "The note is deleted.")
    return redirect("notes:list")


# --- Shared notes ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_in_an_org
def shared_note(request, shared_note_id: int):
    """Every member reads it; its author edits it here too."""
    try:
        note = _call(request, "get-shared-note", {"id": shared_note_id})
    except NotFound:
        messages.error(request, "That shared note does not exist.")
        return redirect("notes:list")
    notebooks = _call(request, "list-notebooks", {})
    form = SharedNoteForm(request.POST or None, initial=note, notebooks=notebooks)
    if request.method == "POST" and form.is_valid():
        try:
            _call(
                request,
                "update-shared-note",
                {"id": shared_note_id, **form.cleaned_data},
            )
        except ApplicationError as error:
            if not error.fields:  # not theirs to change, say: not the form's fault
                flash_error(request, error)
                return redirect("notes:shared", shared_note_id)
            attach_error(form, error)
        else:
            messages.success(request, "The shared note is saved.")
            return redirect("notes:shared", shared_note_id)
    yours = _written_by_you(request, note)
    context = {
        "note": note,
        "form": form,
        "yours": yours,
        "may_delete": yours or request.membership.can_manage,
    }
    return render(request, "notes/shared.html", context)


@require_POST
@_in_an_org
def shared_note_unshare(request, shared_note_id: int):
    try:
        note = _call(request, "unshare-note", {"id": shared_note_id})
    except ApplicationError as error:
        flash_error(request, error)
        return redirect("notes:shared", shared_note_id)
    messages.success(request, "The note is private again: only you can see it.")
    return redirect("notes:edit", note["id"])


@require_POST
@_in_an_org
def shared_note_delete(request, shared_note_id: int):
    try:
        _call(request, "delete-shared-note", {"id": shared_note_id})
    except ApplicationError as error:
        flash_error(request, error)
        return redirect("notes:shared", shared_note_id)
    messages.success(request, "The shared note is deleted.")
    return redirect("notes:list")


# --- Notebooks ------------------------------------------------------------------------


@require_POST
@_in_an_org
def notebook_create(request):
    form = NotebookForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Give the notebook a name.")
        _call(request, "create-notebook", form.cleaned_data)
    except ApplicationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "The notebook is created for your organization.")
    return redirect("notes:list")


@require_http_methods(["GET"])
@_in_an_org
def notebook_detail(request, notebook_id: int):
    """What the org shares in the notebook, and the viewer's private notes in it."""
    try:
        notebook = _call(request, "get-notebook", {"id": notebook_id})
    except NotFound:
        messages.error(request, "That notebook does not exist.")
        return redirect("notes:list")
    in_it = {"notebook": notebook_id, "limit": 200}
    shared = _call(request, "list-shared-notes", in_it)
    context = {
        "notebook": notebook,
        "shared_notes": shared,
        "notes": _call(request, "list-notes", in_it),
        # The service decides; the page offers the button only where it would.
        "may_delete": request.membership.can_manage
        or all(_written_by_you(request, note) for note in shared),
    }
    return render(request, "notes/notebook.html", context)


@require_POST
@_in_an_org
def notebook_delete(request, notebook_id: int):
    try:
        _call(request, "delete-notebook", {"id": notebook_id})
    except ApplicationError as error:
        flash_error(request, error)
        return redirect("notes:notebook", notebook_id)
    messages.success(request, "The notebook is deleted.")
    return redirect("notes:list")
