"""`manage.py mcp --as <email> [--org <slug>]`: the MCP server over stdio, for a host
that starts it as a subprocess (newline-delimited JSON-RPC on stdin and stdout).

The same tools and dispatcher as `/mcp`, as one person. Naming a person by email is
for a developer's machine (DEBUG); elsewhere `--token pat_…` (a personal API token)
says who, as it would over HTTP.
"""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from accounts import services, tokens
from accounts.authentication import Credential
from accounts.models import User
from actions.mcp import protocol
from actions.mcp.dispatch import Caller, answer
from config import jsonrpc
from config.jsonbody import JsonBodyError, loads_bounded


class Command(BaseCommand):
    help = (
        "Serve this app's actions as MCP tools over stdio (one JSON-RPC message a "
        "line), as one user. --as EMAIL works with DEBUG on only; otherwise give "
        "--token pat_… (a personal API token), which names the user."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as", dest="email", metavar="EMAIL", help="Act as this user (DEBUG)."
        )
        parser.add_argument(
            "--token",
            metavar="PAT",
            help="A personal API token (pat_…): act as its user, in its org.",
        )
        parser.add_argument(
            "--org",
            metavar="SLUG_OR_ID",
            help="The organization's slug or id (default: the token's org, else "
            "the user's active org).",
        )

    def handle(self, *args, **options):
        caller = Caller(
            *_identity(options["email"], options["token"]), org_ref=options["org"]
        )
        for line in sys.stdin:
            if not line.strip():
                continue
            # A host keeps this process for hours: a connection past its age or
            # broken is replaced, as between HTTP requests (not one a caller holds
            # a transaction on: call_command inside one).
            if not connection.in_atomic_block:
                close_old_connections()
            reply = _reply(line, caller)
            if reply is not None:
                sys.stdout.write(json.dumps(reply) + "\n")
                sys.stdout.flush()


def _reply(line: str, caller: Caller) -> dict | None:
    try:
        message = loads_bounded(line)
    except JsonBodyError as error:
        return protocol.error_body(
            None, protocol.McpError(jsonrpc.PARSE_ERROR, str(error))
        )
    return answer(message, caller).body


def _identity(email: str | None, raw_token: str | None) -> tuple[User, Credential]:
    if raw_token is not None:
        user, credential = _token_identity(raw_token)
        if email is not None and email.lower() != user.email.lower():
            raise CommandError("--as names another user than the token's.")
        return user, credential
    if email is None:
        raise CommandError("Say who: --as EMAIL (DEBUG only) or --token pat_….")
    if not settings.DEBUG:
        raise CommandError(
            "--as works with DEBUG on only; give --token pat_… (a personal API "
            "token) to serve MCP elsewhere."
        )
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {email}.")
    return user, Credential()


def _token_identity(raw: str) -> tuple[User, Credential]:
    """The personal token's user and the org it binds. Not the membership it acts
    through: the session outlives it (switch-org changes the active org), so each
    call looks it up."""
    token = None
    if raw.startswith(tokens.PREFIX):
        token = services.api_token_authenticate(raw)
    if token is None:
        raise CommandError("--token is not a valid personal API token.")
    return token.user, Credential(bound_org_id=token.bound_org_id)
