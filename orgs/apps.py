from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Which organization a request acts in: roles, invitations."""

    name = "orgs"
    verbose_name = "Organizations"
    # For scoping.registry: the org machinery is never agent data; and in these
    # tables org_id records a relation (a member's, an invitation's org), not who
    # owns the row, so they are not scoped.
    scoping_framework_tables = "__all__"
    scoping_unscoped_tables = (
        "orgs_membership",
        "orgs_invitation",
        "orgs_activeorg",
        "orgs_domainclaim",
        "orgs_memberremoval",
    )

    def ready(self):
        from accounts import hooks
        from orgs import account_hooks

        hooks.register_exporter("memberships", account_hooks.export_memberships)
        hooks.register_deletion_hook(account_hooks.before_user_delete)
