"""The example's data: private notes, and notebooks an organization shares.

Neither model filters anything itself: the scoping mixins give them owner_email and/or
org_id columns, and the database shows each scope only its rows.
"""

from django.db import models
from django.utils import timezone

from scoping.models import OrgScopedModel, ScopedModel


class Notebook(OrgScopedModel):
    """Shared by every member of the organization (org_id only)."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Note(ScopedModel):
    """Private to its author within the organization (owner_email and org_id)."""

    notebook = models.ForeignKey(
        Notebook, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    title = models.CharField(max_length=200)
    # Sanitized HTML (notes.sanitize); safe to render as is.
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
