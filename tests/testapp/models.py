"""The shapes the framework's tests need: a row private to one person in one
organization (Memo: owner_email and org_id), a row the organization shares (Folder:
org_id only), and a reference between them that must stay inside one organization."""

from django.db import models
from django.utils import timezone

from scoping.models import OrgScopedModel, ScopedModel


class Folder(OrgScopedModel):
    """Shared by every member of the organization (org_id only)."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Memo(ScopedModel):
    """Private to its author within the organization (owner_email and org_id)."""

    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.SET_NULL, related_name="memos"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
