from django.contrib import admin

from config.admin import ReadOnlyAdmin, RecordAdmin
from orgs.models import (
    ActiveOrg,
    DomainClaim,
    Invitation,
    MemberRemoval,
    Membership,
    Organization,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "role", "status", "invited_by", "created_at", "expires_at"]
    readonly_fields = ["invited_by", "created_at"]
    # Invitations are created by the invite service, which mails the link.
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


# A claim is verified only by the DNS check and set only by the domain service (which
# audits it): here it is shown, and may be deleted, never written by hand.
_CLAIM_FIELDS = [
    "domain",
    "status",
    "check_outcome",
    "checked_at",
    "verified_at",
    "token",
    "claimed_by",
    "claimed_at",
]


class DomainClaimInline(admin.StackedInline):
    model = DomainClaim
    extra = 0
    fields = readonly_fields = _CLAIM_FIELDS

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "domain_state", "created_at"]
    list_select_related = ["domain_claim"]
    list_filter = ["domain_claim__status"]
    search_fields = ["name", "slug", "domain_claim__domain", "memberships__user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["id", "created_by", "created_at"]
    inlines = [DomainClaimInline, MembershipInline, InvitationInline]

    @admin.display(description="Domain")
    def domain_state(self, org):
        claim = getattr(org, "domain_claim", None)
        return f"{claim.domain} ({claim.status})" if claim is not None else "—"


@admin.register(DomainClaim)
class DomainClaimAdmin(ReadOnlyAdmin):
    list_display = ["domain", "org", "status", "check_outcome", "checked_at"]
    list_filter = ["status", "check_outcome"]
    search_fields = ["domain", "org__name"]
    readonly_fields = ["org", *_CLAIM_FIELDS]


@admin.register(Membership)
class MembershipAdmin(RecordAdmin):
    """Who is in which org, to search across orgs; edited on the organization's page."""

    list_display = ["user", "org", "role", "joined_at"]
    list_select_related = ["user", "org"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "org__name", "org__slug"]
    date_hierarchy = "joined_at"
    fields = readonly_fields = ["org", "user", "role", "joined_at"]


@admin.register(MemberRemoval)
class MemberRemovalAdmin(admin.ModelAdmin):
    """Who may no longer join an org by its domain; deleting a row lifts that."""

    list_display = ["user", "org", "removed_by", "removed_at"]
    list_select_related = ["user", "org", "removed_by"]
    search_fields = ["user__email", "org__name"]
    date_hierarchy = "removed_at"
    readonly_fields = ["org", "user", "removed_by", "removed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "org", "role", "status", "created_at", "expires_at"]
    list_select_related = ["org"]
    list_filter = ["status", "role"]
    search_fields = ["email", "org__name"]
    date_hierarchy = "created_at"
    exclude = ["token_digest"]
    readonly_fields = ["org", "email", "invited_by", "created_at", "accepted_by"]

    def has_add_permission(self, request):
        return False


@admin.register(ActiveOrg)
class ActiveOrgAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "updated_at"]
    list_select_related = ["user", "org"]
    search_fields = ["user__email", "org__name"]
