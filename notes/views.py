"""The notes page: the browser calls the same actions agents and the CLI call."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from actions import registry, runner
from config.errors import ApplicationError, NotFound
from config.pages import attach_error, flash_error


class NoteForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    notebook = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, notebooks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notebook"].choices = [("", "No notebook")] + [
            (book["id"], book["name"]) for book in notebooks
        ]


class NotebookForm(forms.Form):
    name = forms.CharField(max_length=100, label="Notebook name")


def _call(request, name: str, data: dict):
    return runner.execute(registry.get(name), request.ctx, data)


@require_http_methods(["GET", "POST"])
def note_list(request):
    if request.org is None:
        return render(request, "notes/list.html", {"no_org": True})
    notebooks = _call(request, "list-notebooks", {})
    form = NoteForm(request.POST or None, notebooks=notebooks)
    if request.method == "POST" and form.is_valid():
        try:
            _call(request, "create-note", form.cleaned_data)
        except ApplicationError as error:
            attach_error(form, error)
        else:
            messages.success(request, "Your note is saved.")
            return redirect("notes:list")
    context = {
        "notes": _call(request, "list-notes", {"limit": 200}),
        "notebooks": notebooks,
        "form": form,
        "notebook_form": NotebookForm(),
    }
    return render(request, "notes/list.html", context)


@require_http_methods(["GET", "POST"])
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
    return render(request, "notes/edit.html", {"note": note, "form": form})


@require_POST
def note_delete(request, note_id: int):
    try:
        _call(request, "delete-note", {"id": note_id})
    except ApplicationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "The note is deleted.")
    return redirect("notes:list")


@require_POST
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
