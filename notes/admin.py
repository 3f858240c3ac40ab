from django.contrib import admin

from notes.models import Note, Notebook


@admin.register(Notebook)
class NotebookAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "created_at"]
    search_fields = ["name"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "owner_email", "org", "updated_at"]
    search_fields = ["title", "owner_email"]
