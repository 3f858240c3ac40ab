"""What the apps' admin pages share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the app's services write (and audit): listed and read here, never added
    or changed, which would step around the service. Deleting stays allowed."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnlyAdmin):
    """Records (audit events, tasks, received events): not even deleted here."""

    def has_delete_permission(self, request, obj=None):
        return False
