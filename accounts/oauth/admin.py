"""The OAuth connections in the admin (imported by accounts.admin). allauth's own
admin lists the clients and tokens."""

from django.contrib import admin

from accounts.oauth.models import OAuthGrant, RotatedRefreshToken
from config.admin import ReadOnlyAdmin


@admin.register(OAuthGrant)
class OAuthGrantAdmin(ReadOnlyAdmin):
    """Deleting a row here leaves its tokens: disconnect from /account/ instead,
    which revokes them and writes the audit row."""

    list_display = ["client", "user", "org", "created_at", "last_used_at"]
    list_select_related = ["client", "user", "org"]
    search_fields = ["client__name", "user__email", "org__name"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RotatedRefreshToken)
class RotatedRefreshTokenAdmin(ReadOnlyAdmin):
    list_display = ["grant", "rotated_at"]
    list_select_related = ["grant"]
    # The hash is of a spent token, but there is no reason to show it.
    exclude = ["hash"]

    def has_delete_permission(self, request, obj=None):
        return False
