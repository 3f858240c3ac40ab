"""The example's actions: thin, validate → call a service → shape the answer.

None of them filters by owner or org: they run in the caller's scope. Every note they
answer with says its `visibility`: private (only you) or shared (every member).
"""

from rest_framework import serializers

from actions.fields import IdField
from actions.registry import Action, register
from config.errors import NotFound
from notes import selectors, services
from notes.models import Note, Notebook, Visibility
from orgs.models import Role

VISIBILITY_HELP = "private: only you can see it; shared: every member of the org can."


# Declared field by field: a ModelSerializer rebuilds its fields from the model on
# every instance, which cost more than the rest of an action's answer.
class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    notebook = serializers.IntegerField(source="notebook_id", allow_null=True)
    owner_email = serializers.EmailField()
    visibility = serializers.ChoiceField(Visibility.choices, help_text=VISIBILITY_HELP)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SharedNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    notebook = serializers.IntegerField(source="notebook_id")
    notebook_name = serializers.CharField(source="notebook.name")
    # None once the author's account is deleted.
    author_email = serializers.EmailField(source="author.email", allow_null=True)
    author_name = serializers.CharField(source="author.get_full_name", allow_null=True)
    visibility = serializers.ChoiceField(Visibility.choices, help_text=VISIBILITY_HELP)
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


# A shared note is always in a notebook: asked for in words a person can act on.
NOTEBOOK_NEEDED = {
    "required": services.CHOOSE_A_NOTEBOOK,
    "null": services.CHOOSE_A_NOTEBOOK,
}


class SharedNoteInput(NoteInput):
    notebook = IdField(
        error_messages=NOTEBOOK_NEEDED, help_text="The notebook to share it in."
    )


class SharedNoteUpdateInput(IdInput):
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    notebook = IdField(required=False, error_messages=NOTEBOOK_NEEDED)


class ShareInput(IdInput):
    notebook = IdField(
        required=False,
        help_text="The notebook to share it in; by default the one it is filed in.",
    )


class NotebookInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="The notebook's name.")


class NotebookUpdateInput(IdInput, NotebookInput):
    pass


def _get(rows, pk):
    """The row of `rows` (a manager or a queryset) with this id, or NotFound."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise NotFound(f"No such {rows.model._meta.verbose_name}.")
    return row


def _first_page(select, data) -> list:
    """What the selector `select` finds for a list action's input, up to its limit."""
    rows = select(notebook_id=data.get("notebook"), q=data.get("q", ""))
    return list(rows[: data["limit"]])


def _changes(data) -> dict:
    """An update action's input as a service's changes: only the fields sent."""
    changes = {k: v for k, v in data.items() if k in ("title", "body")}
    if "notebook" in data:
        changes["notebook_id"] = data["notebook"]
    return changes


# --- Private notes --------------------------------------------------------------------


@register
class ListNotes(Action):
    name = "list-notes"
    description = "List your private notes in the current organization, newest first."
    input = ListNotesInput
    output = NoteSerializer
    output_many = True
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return _first_page(selectors.notes_matching, data)


@register
class GetNote(Action):
    name = "get-note"
    description = "Get one of your private notes by id."
    input = IdInput
    output = NoteSerializer
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return _get(Note.objects, data["id"])


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
    description = "Change the title, body or notebook of one of your private notes."
    input = NoteUpdateInput
    output = NoteSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.note_update(note_id=data["id"], **_changes(data))


@register
class DeleteNote(Action):
    name = "delete-note"
    description = "Delete one of your private notes."
    input = IdInput
    output = DeletedSerializer
    destructive = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        services.note_delete(note_id=data["id"])
        return {"id": data["id"], "deleted": True}


@register
class ShareNote(Action):
    name = "share-note"
    description = "Move one of your private notes into a notebook every member reads."
    input = ShareInput
    output = SharedNoteSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.note_share(
            member=ctx.membership, note_id=data["id"], notebook_id=data.get("notebook")
        )


# --- Shared notes ---------------------------------------------------------------------


@register
class ListSharedNotes(Action):
    name = "list-shared-notes"
    description = "List the notes shared with the current organization, newest first."
    input = ListNotesInput
    output = SharedNoteSerializer
    output_many = True
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return _first_page(selectors.shared_notes_matching, data)


@register
class GetSharedNote(Action):
    name = "get-shared-note"
    description = "Get a note shared with the current organization by id."
    input = IdInput
    output = SharedNoteSerializer
    read_only = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return _get(selectors.shared_notes_matching(), data["id"])


@register
class CreateSharedNote(Action):
    name = "create-shared-note"
    description = "Write a note in a notebook, for every member of the organization."
    input = SharedNoteInput
    output = SharedNoteSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.shared_note_create(
            member=ctx.membership,
            title=data["title"],
            body=data["body"],
            notebook_id=data["notebook"],
        )


@register
class UpdateSharedNote(Action):
    name = "update-shared-note"
    description = "Change the title, body or notebook of a shared note you wrote."
    input = SharedNoteUpdateInput
    output = SharedNoteSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.shared_note_update(
            member=ctx.membership, shared_note_id=data["id"], **_changes(data)
        )


@register
class UnshareNote(Action):
    name = "unshare-note"
    description = "Make a shared note you wrote private again: only you will see it."
    input = IdInput
    output = NoteSerializer
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        return services.shared_note_unshare(
            member=ctx.membership, shared_note_id=data["id"]
        )


@register
class DeleteSharedNote(Action):
    name = "delete-shared-note"
    description = "Delete a shared note: your own, or anyone's if you are an admin."
    input = IdInput
    output = DeletedSerializer
    destructive = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        services.shared_note_delete(member=ctx.membership, shared_note_id=data["id"])
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
        return _get(Notebook.objects, data["id"])


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
    description = (
        "Delete a notebook and the notes shared in it (others' notes: admins only)."
    )
    input = IdInput
    output = DeletedSerializer
    destructive = True
    org_role = Role.MEMBER
    tags = ("notes",)

    def run(self, ctx, data):
        services.notebook_delete(member=ctx.membership, notebook_id=data["id"])
        return {"id": data["id"], "deleted": True}
