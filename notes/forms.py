"""The notes pages' forms: what a person fills in, before the actions validate it."""

from django import forms

from notes.models import Visibility


def _notebook_choices(notebooks) -> list[tuple]:
    return [(book["id"], book["name"]) for book in notebooks]


class NoteForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    notebook = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, notebooks=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = _notebook_choices(notebooks)
        self.fields["notebook"].choices = [("", "No notebook"), *choices]


class NewNoteForm(NoteForm):
    # Left out (a script's POST, say), a note is private: the safe default.
    visibility = forms.ChoiceField(
        label="Who can see it",
        widget=forms.RadioSelect,
        initial=Visibility.PRIVATE,
        required=False,
    )

    def __init__(self, *args, org_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = [
            (Visibility.PRIVATE, "Only you (private)"),
            (Visibility.SHARED, f"Everyone in {org_name}, in the notebook above"),
        ]


class SharedNoteForm(NoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        notebook = self.fields["notebook"]
        notebook.required = True
        notebook.choices = notebook.choices[1:]  # a shared note is in a notebook


class ShareForm(forms.Form):
    prefix = "share"
    notebook = forms.TypedChoiceField(coerce=int, label="Share in the notebook")

    def __init__(self, *args, notebooks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notebook"].choices = _notebook_choices(notebooks)


class NotebookForm(forms.Form):
    name = forms.CharField(max_length=100, label="Notebook name")
