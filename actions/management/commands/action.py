"""`manage.py action <name> --as <email> [--org <slug>] [--json '{…}'] [--<field> v]`"""

import json
import sys

from django.core.management.base import BaseCommand

from accounts.models import User
from actions import registry, runner
from config.context import CLI
from config.errors import (
    ApplicationError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    error_body,
)
from config.jsonbody import JsonBodyError, loads_bounded


class Command(BaseCommand):
    help = (
        "Run an action as a user and print its JSON result. Input comes from --json "
        "and/or --<field> value pairs (repeat a field for a list). On error, prints "
        "the error envelope to stderr and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The action, e.g. create-note.")
        parser.add_argument(
            "--as", dest="email", required=True, help="Act as this user."
        )
        parser.add_argument(
            "--org",
            help="The organization's slug or id, for this call only (default: the "
            "user's active org).",
        )
        parser.add_argument("--json", dest="json_input", help="The input as JSON.")
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
        try:
            result = self._run(options, _fields(options["field"]))
        except ApplicationError as error:
            self.stderr.write(json.dumps(error_body(error)))
            sys.exit(1)
        self.stdout.write(json.dumps(result, indent=2, default=str))

    def _run(self, options, field_args):
        action = registry.get(options["name"])
        if action is None:
            raise NotFound(f"There is no action named {options['name']!r}.")
        user = User.objects.filter(
            email__iexact=options["email"], is_active=True
        ).first()
        if user is None:
            raise NotAuthenticated(f"No active user {options['email']}.")
        try:
            data = loads_bounded(options["json_input"] or "{}")
        except JsonBodyError as error:
            raise InvalidInput(f"--json: {error}") from None
        if not isinstance(data, dict):
            raise InvalidInput("--json must be a JSON object.")
        data.update(field_args)
        return runner.call(action, data, user=user, caller=CLI, org_ref=options["org"])


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
_FLAGS = {"--traceback", "--no-color", "--force-color", "--skip-checks"}


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
