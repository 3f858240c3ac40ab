from django.contrib import admin

from tests.testapp.models import Folder, Memo


@admin.register(Folder)
class FolderAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "created_at"]
    search_fields = ["name"]


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    list_display = ["title", "owner_email", "org", "updated_at"]
    search_fields = ["title", "owner_email"]
