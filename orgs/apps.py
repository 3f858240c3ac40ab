from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Which organization a request acts in: roles, invitations."""

    name = "orgs"
    verbose_name = "Organizations"

    def ready(self):
        from accounts import hooks
        from orgs import account_hooks

        hooks.register_exporter("memberships", account_hooks.export_memberships)
        hooks.register_deletion_hook(account_hooks.before_user_delete)
