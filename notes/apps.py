from django.apps import AppConfig


class NotesConfig(AppConfig):
    """The example app: a scoped model, its actions and its page. Delete it freely."""

    name = "notes"
    verbose_name = "Notes (example)"
