import json

from django.contrib import admin, messages
from django.utils.html import format_html

from config.admin import RecordAdmin
from webhooks import services
from webhooks.models import WebhookEvent


@admin.register(WebhookEvent)
class WebhookEventAdmin(RecordAdmin):
    """Read-only: an event is what a provider sent; staff may only queue it again."""

    list_display = ["received_at", "provider", "event_type", "status", "attempts"]
    list_filter = ["provider", "status"]
    search_fields = ["event_id", "event_type", "provider"]
    date_hierarchy = "received_at"
    actions = ["reprocess"]
    readonly_fields = [
        "provider",
        "event_id",
        "event_type",
        "headers",
        "pretty_body",
        "received_at",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "processed_at",
    ]
    exclude = ["body"]

    def has_reprocess_permission(self, request):
        # Queueing again changes the event's status: those who may change events.
        return request.user.has_perm("webhooks.change_webhookevent")

    @admin.display(description="Body")
    def pretty_body(self, event):
        raw = bytes(event.body)
        try:
            text = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
        except (ValueError, UnicodeDecodeError):
            text = raw.decode("utf-8", errors="replace")
        return format_html("<pre>{}</pre>", text)

    @admin.action(
        description="Process the selected events again",
        permissions=["reprocess"],
    )
    def reprocess(self, request, queryset):
        queued = sum(services.event_reprocess(event) for event in queryset)
        self.message_user(request, f"{queued} event(s) queued again.", messages.SUCCESS)
