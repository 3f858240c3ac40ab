"""`manage.py action <name> --as <email> [--org <slug>] [--json '{…}'] [--<field> v]`
and `manage.py action --list --as <email> [--org <slug>]`."""

import argparse
import json
import sys

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from accounts.models import User
from actions import catalog, registry, runner
from config.context import CLI
from config.errors import (
    ApplicationError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    error_body,
)
from config.jsonbody import JsonBodyError, loads_bounded

EXAMPLES = """\
input:
  --json '{...}'       the input as one JSON object
  --<field> VALUE      one field, e.g. --title "Hi" (or --field title "Hi");
                       repeat a field to give a list: --tag a --tag b
  Fields given one by one are added to (and win over) those in --json.
  A field named like an option here (list, org, json, ...) needs --field.

exit codes:
  0  done; the result is printed to stdout as JSON (--list: one action a line)
  1  the action refused or failed; stderr has the error envelope, one line:
     {"error": {"code": "invalid_input", "message": "...", "fields": {...}}}
     (codes: invalid_input, not_authenticated, permission_denied, not_found,
     conflict, throttled, ...)
  2  the command line itself is wrong (a usage message on stderr)

examples:
  .venv/bin/python manage.py action --list --as you@example.com
  .venv/bin/python manage.py action create-note --as you@example.com \\
      --org acme --title "Hi" --body "From the terminal"
  .venv/bin/python manage.py action list-notes --as you@example.com --json '{}'
"""


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the description and examples kept as written."""


class Command(BaseCommand):
    help = (
        "Run an action as a user, in one of their organizations, and print its\n"
        "JSON result: the same actions, checks, audit rows and errors as the API\n"
        "(/api/actions/<name>/). With --list, name the actions that user may run."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("epilog", EXAMPLES)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "name",
            nargs="?",
            help="The action, e.g. create-note (see --list).",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            help="List the actions the user may run (in the org), one a line, "
            "instead of running one.",
        )
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Act as this user (an active account's email).",
        )
        parser.add_argument(
            "--org",
            metavar="SLUG_OR_ID",
            help="The organization's slug or id, for this call only; the user must "
            "belong to it (default: the user's active org).",
        )
        parser.add_argument(
            "--json", dest="json_input", metavar="JSON", help="The input as JSON."
        )
        parser.add_argument(
            "--field",
            nargs=2,
            action="append",
            default=[],
            metavar=("NAME", "VALUE"),
            help="One input field (what `--<name> value` becomes).",
        )

    def run_from_argv(self, argv):
        # `--title x` on the command line is `--field title x` to the parser.
        super().run_from_argv(argv[:2] + _as_field_options(argv[2:]))

    def handle(self, *args, **options):
        if options["list"]:
            if options["name"] or options["json_input"] or options["field"]:
                raise CommandError(
                    "--list takes no action name and no input.", returncode=2
                )
        elif not options["name"]:
            raise CommandError(
                "Name an action to run, or give --list to see those you may run "
                "(--help explains more).",
                returncode=2,
            )
        try:
            if options["list"]:
                self.stdout.write(_listing(self._list(options)))
                return
            result = self._run(options, _fields(options["field"]))
        except ApplicationError as error:
            self.stderr.write(json.dumps(error_body(error)))
            sys.exit(1)
        self.stdout.write(json.dumps(result, indent=2, default=str))

    def _list(self, options) -> list[registry.Action]:
        from orgs.context import caller_context

        user = _user(options["email"])
        with caller_context(user=user, caller=CLI, org_ref=options["org"]) as ctx:
            return catalog.actions_for(ctx)

    def _run(self, options, field_args):
        action = registry.get(options["name"])
        if action is None:
            raise NotFound(f"There is no action named {options['name']!r}.")
        user = _user(options["email"])
        try:
            data = loads_bounded(options["json_input"] or "{}")
        except JsonBodyError as error:
            raise InvalidInput(f"--json: {error}") from None
        if not isinstance(data, dict):
            raise InvalidInput("--json must be a JSON object.")
        data.update(field_args)
        return runner.call(action, data, user=user, caller=CLI, org_ref=options["org"])


def _user(email: str) -> User:
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise NotAuthenticated(f"No active user {email}.")
    return user


def _listing(actions: list[registry.Action]) -> str:
    """One action a line: its name, then the first line of its description."""
    width = max((len(action.name) for action in actions), default=0)
    return "\n".join(
        f"{action.name.ljust(width)}  {_first_line(action.description)}".rstrip()
        for action in sorted(actions, key=lambda action: action.name)
    )


def _first_line(text: str) -> str:
    return " ".join((text or "").strip().splitlines()[:1])


# The command's own options; any other --<name> is a field of the action's input.
_OPTIONS_WITH_VALUE = {
    "--as",
    "--org",
    "--json",
    "--settings",
    "--pythonpath",
    "--verbosity",
    "-v",
}
_FLAGS = {
    "--list",
    "--help",
    "-h",
    "--version",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}


def _as_field_options(args: list[str]) -> list[str]:
    """Rewrite `--<field> value` (not the command's own options) as `--field <f> v`."""
    rewritten = []
    items = iter(args)
    for arg in items:
        name, has_value, inline = arg.partition("=")
        if name in _FLAGS or name == "--field" or not name.startswith("-"):
            rewritten.append(arg)
        elif name in _OPTIONS_WITH_VALUE:
            rewritten.append(arg)
            if not has_value:
                rewritten.append(next(items, ""))
        else:
            value = inline if has_value else next(items, "")
            rewritten += ["--field", name.lstrip("-").replace("-", "_"), value]
    return rewritten


def _fields(pairs: list[list[str]]) -> dict:
    """Field pairs as input; a field given more than once is a list."""
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return {name: v[0] if len(v) == 1 else v for name, v in fields.items()}
