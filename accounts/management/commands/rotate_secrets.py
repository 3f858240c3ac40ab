from django.core.management.base import BaseCommand

from accounts.secrets import secrets_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret and OAuth token with the newest key in "
        "SECRETS_ENCRYPTION_KEY. Put the new key first, run this, then drop the old."
    )

    def handle(self, *args, **options):
        count = secrets_rotate()
        self.stdout.write(f"{count} value(s) re-encrypted with the newest key.")
