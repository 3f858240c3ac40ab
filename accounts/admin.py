from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import crypto
from accounts.models import ApiToken, AuditEvent, OAuthToken, Secret, User
from accounts.ownership import owner_email_move


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The admin's change view runs in one transaction: a new address and the
        # rows it takes over commit together, as with allauth's primary address.
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data:
            owner_email_move(
                user=obj, old_email=form.initial["email"], new_email=obj.email
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "key_id",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    search_fields = ["name", "user__email", "key_id"]
    # The digest is not a secret one can use, but there is no reason to show it.
    exclude = ["digest"]
    readonly_fields = ["user", "name", "key_id", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by `audit_record` and never edited."""

    list_display = ["created_at", "action", "actor_label", "target_type", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Secret)
class SecretAdmin(admin.ModelAdmin):
    """Names and masked tails only: the value never leaves the server whole."""

    list_display = ["name", "scope", "scope_id", "masked", "updated_at"]
    search_fields = ["name", "scope_id"]
    fields = ["name", "scope", "scope_id", "masked", "url_allowlist", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="Value")
    def masked(self, secret):
        try:
            return crypto.mask(crypto.decrypt(secret.value, bound_to=secret.bound_to))
        except crypto.DecryptionError:
            return "(cannot be decrypted with the configured keys)"


@admin.register(OAuthToken)
class OAuthTokenAdmin(admin.ModelAdmin):
    list_display = ["provider", "account_id", "owner_email", "org_id", "updated_at"]
    search_fields = ["provider", "account_id", "owner_email"]
    exclude = ["token"]
    readonly_fields = ["provider", "account_id", "owner_email", "org_id", "revision"]

    def has_add_permission(self, request):
        return False
