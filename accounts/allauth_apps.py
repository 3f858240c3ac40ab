"""allauth's apps under names that say what the admin lists in them.

allauth's `account` app is called "Accounts", as ours is: the admin index showed two
"Accounts" sections. Django's way to rename an installed app is a subclass of its
AppConfig named in INSTALLED_APPS (the label, and so the tables and migrations, stay).
In a module of their own: an apps.py with several AppConfig subclasses would need
one marked `default`.
"""

from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig
from allauth.socialaccount.apps import SocialAccountConfig
from allauth.usersessions.apps import UserSessionsConfig


class EmailAddressesConfig(AccountConfig):
    verbose_name = "Email addresses"


class SocialSignInConfig(SocialAccountConfig):
    verbose_name = "Social sign-in"


class TwoFactorConfig(MFAConfig):
    verbose_name = "Two-factor authentication"


class SignedInSessionsConfig(UserSessionsConfig):
    verbose_name = "Signed-in sessions"
