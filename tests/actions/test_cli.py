"""`manage.py action`: the same actions from a terminal, as a named user."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from actions.management.commands.action import _as_field_options
from scoping.scopes import unscoped
from tests.processes import BASE_DIR, clean_env, test_database_url
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db


def _run(*args):
    """(exit code, stdout, stderr) of the command, run in this process."""
    out, err = StringIO(), StringIO()
    try:
        call_command("action", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_field_options_become_input():
    argv = ["create-memo", "--as", "a@x.test", "--title", "T", "--tag=a", "--tag", "b"]
    assert _as_field_options(argv) == [
        "create-memo",
        "--as",
        "a@x.test",
        "--field",
        "title",
        "T",
        "--field",
        "tag",
        "a",
        "--field",
        "tag",
        "b",
    ]


def test_runs_an_action_as_a_user_and_prints_json(world):
    code, out, _ = _run(
        "create-memo", "--as", "ALICE@acme.test", "--field", "title", "from cli"
    )
    assert code == 0
    result = json.loads(out)
    assert (result["title"], result["owner_email"]) == ("from cli", "alice@acme.test")
    with unscoped(reason="test"):
        assert Memo.objects.get(pk=result["id"]).org_id == world.acme.pk


def test_json_input_and_a_chosen_org(world):
    from orgs import services

    other = services.org_create(user=world.alice, name="Side")
    code, _, _ = _run(
        "create-memo",
        "--as",
        world.alice.email,
        "--org",
        other.slug,
        "--json",
        '{"title": "in side", "body": "<b>b</b>"}',
    )
    assert code == 0
    with unscoped(reason="test"):
        assert Memo.objects.get(title="in side").org_id == other.pk


def test_reads_only_the_users_rows(world):
    _, out, _ = _run("list-memos", "--as", world.carol.email)
    assert [n["title"] for n in json.loads(out)] == ["carol's memo"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (
            ["create-memo", "--as", "alice@acme.test", "--field", "title", ""],
            "invalid_input",
        ),
        (
            ["create-memo", "--as", "nobody@x.test", "--field", "title", "x"],
            "not_authenticated",
        ),
        (["no-such-action", "--as", "alice@acme.test"], "not_found"),
        (
            ["rename-org", "--as", "carol@acme.test", "--field", "name", "X"],
            "permission_denied",
        ),
        (["create-memo", "--as", "alice@acme.test", "--json", "{bad"], "invalid_input"),
    ],
)
def test_errors_print_the_envelope_to_stderr_and_exit_1(world, args, code):
    exit_code, out, err = _run(*args)
    assert exit_code == 1
    assert out == ""
    assert json.loads(err)["error"]["code"] == code


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_real_command_line(world):
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=test_database_url()
    )

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", "action", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    ok = manage("create-memo", "--as", world.alice.email, "--title", "typed")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["title"] == "typed"
    refused = manage("create-memo", "--as", world.alice.email, "--title", "")
    assert refused.returncode == 1
    assert json.loads(refused.stderr.strip().splitlines()[-1])["error"]["fields"] == {
        "title": ["This field may not be blank."]
    }
