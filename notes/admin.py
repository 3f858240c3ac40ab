from django.contrib import admin

from notes.models import Note, Notebook, SharedNote


@admin.register(Notebook)
class NotebookAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "created_at"]
    list_select_related = ["org"]
    list_filter = ["org"]
    search_fields = ["name", "org__name"]
    date_hierarchy = "created_at"


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "owner_email", "notebook", "org", "updated_at"]
    list_select_related = ["notebook", "org"]
    list_filter = ["org", "notebook"]
    search_fields = ["title", "owner_email", "notebook__name"]
    date_hierarchy = "updated_at"
    # The body is stored sanitized (notes.sanitize) and rendered as is: written only
    # through the note services, never as raw text here.
    readonly_fields = ["body"]


@admin.register(SharedNote)
class SharedNoteAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "notebook", "org", "updated_at"]
    list_select_related = ["author", "notebook", "org"]
    list_filter = ["org", "notebook"]
    search_fields = ["title", "author__email", "notebook__name"]
    date_hierarchy = "updated_at"
    # Written only through the services: the body is stored sanitized, and the
    # author is who wrote it, not a choice.
    readonly_fields = ["author", "body"]
