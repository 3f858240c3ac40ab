from django.contrib import admin

from orgs.models import ActiveOrg, Invitation, Membership, Organization


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


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "allowed_domain", "created_at"]
    search_fields = ["name", "slug", "allowed_domain", "memberships__user__email"]
    readonly_fields = ["id", "created_by", "created_at"]
    inlines = [MembershipInline, InvitationInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "org", "role", "status", "created_at", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "org__name"]
    exclude = ["token_digest"]
    readonly_fields = ["org", "email", "invited_by", "created_at", "accepted_by"]

    def has_add_permission(self, request):
        return False


@admin.register(ActiveOrg)
class ActiveOrgAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "updated_at"]
    search_fields = ["user__email", "org__name"]
