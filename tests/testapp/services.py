"""Every change to memos and folders, each audited once. They run inside the
caller's scope, which decides whose rows exist; nothing here filters by owner or
org."""

from accounts.services import audit_record
from config.errors import InvalidInput, NotFound
from scoping.scopes import unscoped
from tests.testapp.models import Folder, Memo


def _title(value: str, field: str = "title") -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(fields={field: ["This field may not be blank."]})
    return value


def _folder(folder_id) -> Folder | None:
    if folder_id in (None, ""):
        return None
    folder = Folder.objects.filter(pk=folder_id).first()
    if folder is None:
        raise InvalidInput(fields={"folder": ["No such folder."]})
    return folder


def memo_create(*, title: str, body: str = "", folder_id=None) -> Memo:
    memo = Memo.objects.create(
        title=_title(title), body=body or "", folder=_folder(folder_id)
    )
    audit_record(action="memo.created", target=memo)
    return memo


def memo_update(*, memo_id: int, **changes) -> Memo:
    memo = Memo.objects.filter(pk=memo_id).first()
    if memo is None:
        raise NotFound("No such memo.")
    if "title" in changes:
        memo.title = _title(changes["title"])
    if "body" in changes:
        memo.body = changes["body"]
    if "folder_id" in changes:
        memo.folder = _folder(changes["folder_id"])
    memo.save()
    audit_record(action="memo.updated", target=memo, metadata={"fields": [*changes]})
    return memo


def memo_delete(*, memo_id: int) -> None:
    deleted, _ = Memo.objects.filter(pk=memo_id).delete()
    if not deleted:
        raise NotFound("No such memo.")
    audit_record(action="memo.deleted", metadata={"id": memo_id})


def folder_create(*, name: str) -> Folder:
    folder = Folder.objects.create(name=_title(name, "name"))
    audit_record(action="folder.created", target=folder)
    return folder


def folder_update(*, folder_id: int, name: str) -> Folder:
    folder = Folder.objects.filter(pk=folder_id).first()
    if folder is None:
        raise NotFound("No such folder.")
    folder.name = _title(name, "name")
    folder.save(update_fields=["name"])
    audit_record(action="folder.renamed", target=folder)
    return folder


def folder_delete(*, folder_id: int) -> None:
    """Delete a folder the scope sees; every member's memos in it stay, unfiled."""
    folder = Folder.objects.filter(pk=folder_id).first()
    if folder is None:
        raise NotFound("No such folder.")
    # Other members' private memos point at it too, and the scope hides them.
    audit_record(action="folder.deleted", target=folder)
    reason = f"delete folder {folder.pk}: unfile members' memos"
    with unscoped(reason=reason, audit=False):
        folder.delete()
