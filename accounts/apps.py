from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who a request is: sign-in, API tokens, the audit log."""

    name = "accounts"
    verbose_name = "Accounts"
