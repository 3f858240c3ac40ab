"""The example's actions: thin, validate → call a service → shape the answer.

None of them filters by owner or org: they run in the caller's scope.
"""

from rest_framework import serializers

from actions.fields import IdField
from actions.registry import Action, register
from config.errors import NotFound
from notes import services
from notes.models import Note, Notebook
from orgs.models import Role


# Declared field by field: a ModelSerializer rebuilds its fields from the model on
# every instance, which cost more than the rest of an action's answer.
class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    notebook = serializers.IntegerField(source="notebook_id", allow_null=True)
    owner_email = serializers.EmailField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class NotebookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()


class IdInput(serializers.Serializer):
    id = IdField(help_text="The id of the row.")


class DeletedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField()


class ListNotesInput(serializers.Serializer):
    notebook = IdField(required=False, help_text="Only notes in this notebook.")
    q = serializers.CharField(
        max_length=200, required=False, help_text="Text the title must contain."
    )
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class NoteInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="A short title.")
    body = serializers.CharField(
        max_length=20_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="HTML; anything but simple formatting is removed.",
    )
    notebook = IdField(required=False, allow_null=True, help_text="A notebook's id.")


class NoteUpdateInput(IdInput):
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    notebook = IdField(required=False, allow_null=True)


class NotebookInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="The notebook's name.")


class NotebookUpdateInput(IdInput, NotebookInput):
    pass


def _get(model, pk):
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(f"No such {model._meta.verbose_name}.")
    return row


# --- Notes ----------------------------------------------------------------------------


@register
class ListNotes(Action):
    name = "list-notes"
    description = "List your notes in the current organization, newest first."
    input = ListNotesInput
    output = NoteSerializer
    output_many = True
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        notes = Note.objects.all()
        if "notebook" in data:
            notes = notes.filter(notebook_id=data["notebook"])
        if data.get("q"):
            notes = notes.filter(title__icontains=data["q"])
        return list(notes[: data["limit"]])


@register
class GetNote(Action):
    name = "get-note"
    description = "Get one of your notes by id."
    input = IdInput
    output = NoteSerializer
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return _get(Note, data["id"])


@register
class CreateNote(Action):
    name = "create-note"
    description = "Create a private note in the current organization."
    input = NoteInput
    output = NoteSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.note_create(
            title=data["title"], body=data["body"], notebook_id=data.get("notebook")
        )


@register
class UpdateNote(Action):
    name = "update-note"
    description = "Change the title, body or notebook of one of your notes."
    input = NoteUpdateInput
    output = NoteSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        changes = {k: v for k, v in data.items() if k in ("title", "body")}
        if "notebook" in data:
            changes["notebook_id"] = data["notebook"]
        return services.note_update(note_id=data["id"], **changes)


@register
class DeleteNote(Action):
    name = "delete-note"
    description = "Delete one of your notes."
    input = IdInput
    output = DeletedSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        services.note_delete(note_id=data["id"])
        return {"id": data["id"], "deleted": True}


# --- Notebooks ------------------------------------------------------------------------


@register
class ListNotebooks(Action):
    name = "list-notebooks"
    description = "List the notebooks the current organization shares."
    output = NotebookSerializer
    output_many = True
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return list(Notebook.objects.all())


@register
class GetNotebook(Action):
    name = "get-notebook"
    description = "Get one of the organization's notebooks by id."
    input = IdInput
    output = NotebookSerializer
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return _get(Notebook, data["id"])


@register
class CreateNotebook(Action):
    name = "create-notebook"
    description = "Create a notebook every member of the organization can use."
    input = NotebookInput
    output = NotebookSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.notebook_create(name=data["name"])


@register
class UpdateNotebook(Action):
    name = "update-notebook"
    description = "Rename one of the organization's notebooks."
    input = NotebookUpdateInput
    output = NotebookSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.notebook_update(notebook_id=data["id"], name=data["name"])


@register
class DeleteNotebook(Action):
    name = "delete-notebook"
    description = "Delete a notebook (its notes stay, outside any notebook). Admins."
    input = IdInput
    output = DeletedSerializer
    org_role = Role.ADMIN
    tags = ("notes",)

    def run(self, ctx, data):
        services.notebook_delete(notebook_id=data["id"])
        return {"id": data["id"], "deleted": True}
