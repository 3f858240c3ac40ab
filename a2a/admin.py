from django.contrib import admin

from a2a.models import A2ATask
from config.admin import RecordAdmin


@admin.register(A2ATask)
class A2ATaskAdmin(RecordAdmin):
    """Read-only: a task is the record of a call, changed only by the A2A server."""

    list_display = ["created_at", "action", "state", "owner_email", "org", "issuer"]
    list_select_related = ["org"]
    list_filter = ["state", "action"]
    search_fields = ["id", "action", "owner_email", "context_id", "issuer"]
    date_hierarchy = "created_at"
    # Sensitive arguments are never stored (tests/a2a/test_sensitive_arguments.py),
    # so what is kept may be shown.
    fields = readonly_fields = [
        "id",
        "context_id",
        "action",
        "state",
        "owner_email",
        "org",
        "issuer",
        "arguments",
        "request_message",
        "result",
        "error",
        "created_at",
        "updated_at",
    ]
