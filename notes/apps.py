from django.apps import AppConfig


class NotesConfig(AppConfig):
    """The example app: scoped models, their actions and their pages. Delete it
    freely."""

    name = "notes"
    verbose_name = "Notes (example)"

    def ready(self):
        from accounts import hooks
        from notes import account_hooks

        hooks.register_exporter("shared_notes", account_hooks.export_shared_notes)
        hooks.register_deletion_hook(account_hooks.before_user_delete)
