from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import dev_account_ensure


class Command(BaseCommand):
    help = (
        "Create a throwaway local account on the first run with no users, and print "
        "its credentials once. Does nothing with DEBUG off, with "
        "DISABLE_AUTO_DEV_ACCOUNT=1, or once it has been created before."
    )

    def handle(self, *args, **options):
        credentials = dev_account_ensure()
        if credentials is None:
            return
        email, password = credentials
        self.stdout.write(
            self.style.SUCCESS(
                "\nA local account was created (shown once, not again):\n"
                f"  email:    {email}\n  password: {password}\n"
                f"Sign in at {settings.APP_URL}/accounts/login/ ; it is also a "
                "Django admin superuser.\n"
            )
        )
