"""Register the apps that sign their users in through this one (README,
"Cross-app sign-in"): `add` prints the client id and secret to set on the app,
`list` shows what is registered, `remove` unregisters one."""

from allauth.idp.oidc.models import Client
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.oauth import selectors, services


class Command(BaseCommand):
    help = "Register, list or remove the apps that sign their users in here."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        add = commands.add_parser("add", help="Register an app.")
        add.add_argument("--name", required=True, help="Shown on the sign-in pages.")
        add.add_argument(
            "--redirect",
            action="append",
            required=True,
            metavar="URL",
            help="The app's callback URL, exactly; repeat for more than one.",
        )
        add.add_argument(
            "--consent",
            action="store_true",
            help="Ask users before signing them in (for an app not your team's).",
        )
        commands.add_parser("list", help="The registered apps.")
        remove = commands.add_parser("remove", help="Unregister an app.")
        remove.add_argument("client_id")

    def handle(self, *args, command, **options):
        getattr(self, f"_{command}")(**options)

    def _add(self, *, name, redirect, consent, **options):
        try:
            client, secret = services.sign_in_client_add(
                name=name, redirect_uris=redirect, consent=consent
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Registered {client.name}. Set on the app:")
        self.stdout.write(f"IDENTITY_HUB_CLIENT_ID={client.id}")
        self.stdout.write(f"IDENTITY_HUB_CLIENT_SECRET={secret}")
        self.stdout.write("The secret is shown once; only its hash is kept.")

    def _list(self, **options):
        clients = selectors.sign_in_clients()
        if not clients:
            self.stdout.write("No app signs its users in here yet.")
        for client in clients:
            consent = "asks consent" if not client.skip_consent else "no consent"
            redirects = " ".join(client.get_redirect_uris())
            self.stdout.write(f"{client.id}  {client.name}  ({consent})  {redirects}")

    def _remove(self, *, client_id, **options):
        client = Client.objects.filter(pk=client_id).first()
        if client is None or not selectors.is_sign_in_client(client):
            raise CommandError(f"No sign-in app has the client id {client_id!r}.")
        services.sign_in_client_remove(client=client)
        self.stdout.write(f"Removed {client.name}; its users sign in there directly.")
