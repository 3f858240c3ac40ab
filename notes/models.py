"""The example's data: private notes, notebooks an organization shares, and the notes
shared in them.

None of the models filters anything itself: the scoping mixins give them owner_email
and/or org_id columns, and the database shows each scope only its rows. Privacy is a
table's columns, never a flag: a private note and a shared one live in two tables,
so another member's scope, their agent's SQL included, cannot reach a private note.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from scoping.models import OrgScopedModel, ScopedModel


class Visibility(models.TextChoices):
    """Who can read a note, as pages and actions' answers say it."""

    PRIVATE = "private", "Private: only you can see it"
    SHARED = "shared", "Shared with every member of the organization"


class Notebook(OrgScopedModel):
    """Shared by every member of the organization (org_id only)."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Note(ScopedModel):
    """Private to its author within the organization (owner_email and org_id).

    It may be filed in one of the org's notebooks: there too only its author sees it.
    """

    notebook = models.ForeignKey(
        Notebook, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    title = models.CharField(max_length=200)
    # Sanitized HTML (notes.sanitize); safe to render as is.
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    visibility = Visibility.PRIVATE

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SharedNote(OrgScopedModel):
    """Shared in a notebook: every member of the organization reads it (org_id only).

    Who may change it (its author) or delete it (its author, an admin) is the
    services' rule; the database's wall is the organization's, as for notebooks.
    """

    notebook = models.ForeignKey(
        Notebook, on_delete=models.CASCADE, related_name="shared_notes"
    )
    # Who wrote it: a record, not a scope column (an `owner_email` would make the row
    # private again). The user, not their address: an email change keeps them the
    # author; a deleted account leaves the note with the org, unsigned.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=200)
    # Sanitized HTML (notes.sanitize); safe to render as is.
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    visibility = Visibility.SHARED

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
