from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class AccountsConfig(AppConfig):
    """Who a request is: sign-in, API tokens, the audit log."""

    name = "accounts"
    verbose_name = "Accounts"
    # For scoping.registry: sign-in's tables are machinery, never agent data; and an
    # audit record's org_id says where it happened, not who may read it; an OAuth
    # grant's, the org its connection acts in (read before any scope exists).
    scoping_framework_tables = "__all__"
    scoping_unscoped_tables = ("accounts_auditevent", "accounts_oauthgrant")

    def ready(self):
        from django.conf import settings

        from accounts import checks, receivers  # noqa: F401  (registration)
        from accounts.app_settings import app_settings
        from accounts.oauth import checks as oauth_checks  # noqa: F401
        from accounts.oauth import cimd

        cimd.install()

        if app_settings.AUTH_DISABLED and not settings.DEBUG:
            raise ImproperlyConfigured(
                "AUTH_DISABLED=true is refused unless DEBUG is on: it signs every "
                "request in as dev@local.test. Unset it."
            )
