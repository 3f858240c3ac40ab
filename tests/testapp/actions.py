"""The test app's actions, shaped like an app's real ones: reads and writes, a
member's and an admin's, a private row and a shared one. Thin: validate → call a
service → shape the answer; none filters by owner or org."""

from rest_framework import serializers

from actions.fields import IdField
from actions.registry import Action, register
from config.errors import NotFound
from orgs.models import Role
from tests.testapp import services
from tests.testapp.models import Folder, Memo


# Declared field by field: a ModelSerializer rebuilds its fields from the model on
# every instance, which cost more than the rest of an action's answer.
class MemoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    folder = serializers.IntegerField(source="folder_id", allow_null=True)
    owner_email = serializers.EmailField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()


class IdInput(serializers.Serializer):
    id = IdField(help_text="The id of the row.")


class DeletedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField()


class ListMemosInput(serializers.Serializer):
    folder = IdField(required=False, help_text="Only memos in this folder.")
    q = serializers.CharField(
        max_length=200, required=False, help_text="Text the title must contain."
    )
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class MemoInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="A short title.")
    body = serializers.CharField(
        max_length=20_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Free text.",
    )
    folder = IdField(required=False, allow_null=True, help_text="A folder's id.")


class MemoUpdateInput(IdInput):
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    folder = IdField(required=False, allow_null=True)


class FolderInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="The folder's name.")


class FolderUpdateInput(IdInput, FolderInput):
    pass


def _get(model, pk):
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(f"No such {model._meta.verbose_name}.")
    return row


# --- Memos ----------------------------------------------------------------------------


@register
class ListMemos(Action):
    name = "list-memos"
    description = "List your memos in the current organization, newest first."
    input = ListMemosInput
    output = MemoSerializer
    output_many = True
    read_only = True
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        memos = Memo.objects.all()
        if "folder" in data:
            memos = memos.filter(folder_id=data["folder"])
        if data.get("q"):
            memos = memos.filter(title__icontains=data["q"])
        return list(memos[: data["limit"]])


@register
class GetMemo(Action):
    name = "get-memo"
    description = "Get one of your memos by id."
    input = IdInput
    output = MemoSerializer
    read_only = True
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        return _get(Memo, data["id"])


@register
class CreateMemo(Action):
    name = "create-memo"
    description = "Create a private memo in the current organization."
    input = MemoInput
    output = MemoSerializer
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        return services.memo_create(
            title=data["title"], body=data["body"], folder_id=data.get("folder")
        )


@register
class UpdateMemo(Action):
    name = "update-memo"
    description = "Change the title, body or folder of one of your memos."
    input = MemoUpdateInput
    output = MemoSerializer
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        changes = {k: v for k, v in data.items() if k in ("title", "body")}
        if "folder" in data:
            changes["folder_id"] = data["folder"]
        return services.memo_update(memo_id=data["id"], **changes)


@register
class DeleteMemo(Action):
    name = "delete-memo"
    description = "Delete one of your memos."
    input = IdInput
    output = DeletedSerializer
    destructive = True
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        services.memo_delete(memo_id=data["id"])
        return {"id": data["id"], "deleted": True}


# --- Folders ------------------------------------------------------------------------


@register
class ListFolders(Action):
    name = "list-folders"
    description = "List the folders the current organization shares."
    output = FolderSerializer
    output_many = True
    read_only = True
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        return list(Folder.objects.all())


@register
class GetFolder(Action):
    name = "get-folder"
    description = "Get one of the organization's folders by id."
    input = IdInput
    output = FolderSerializer
    read_only = True
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        return _get(Folder, data["id"])


@register
class CreateFolder(Action):
    name = "create-folder"
    description = "Create a folder every member of the organization can use."
    input = FolderInput
    output = FolderSerializer
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        return services.folder_create(name=data["name"])


@register
class UpdateFolder(Action):
    name = "update-folder"
    description = "Rename one of the organization's folders."
    input = FolderUpdateInput
    output = FolderSerializer
    org_role = Role.MEMBER
    tags = ("testapp",)

    def run(self, ctx, data):
        return services.folder_update(folder_id=data["id"], name=data["name"])


@register
class DeleteFolder(Action):
    name = "delete-folder"
    description = "Delete a folder (its memos stay, outside any folder). Admins."
    input = IdInput
    output = DeletedSerializer
    destructive = True
    org_role = Role.ADMIN
    tags = ("testapp",)

    def run(self, ctx, data):
        services.folder_delete(folder_id=data["id"])
        return {"id": data["id"], "deleted": True}
