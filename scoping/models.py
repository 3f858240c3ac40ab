"""Model mixins that make a table scoped.

A table is scoped when it has an `owner_email` and/or `org_id` column, whether a model
or raw SQL made it; these mixins add the columns, indexed, with defaults taken from the
current scope, so `Note.objects.create(title=…)` needs neither.
"""

from django.db import models

from scoping.context import current_org_id, current_owner_email


class OrgScopedModel(models.Model):
    """Rows shared by the members of one organization."""

    org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        default=current_org_id,
        related_name="+",
        db_index=True,
    )

    class Meta:
        abstract = True


class ScopedModel(OrgScopedModel):
    """Rows private to one person within one organization (both columns filter)."""

    owner_email = models.EmailField(default=current_owner_email, db_index=True)

    class Meta:
        abstract = True
