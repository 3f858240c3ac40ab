"""`manage.py action`: the same actions from a terminal, as a named user."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actions import registry
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


def test_list_and_help_are_the_commands_options_not_fields():
    argv = ["--list", "--as", "a@x.test", "--org", "acme", "--help", "-h"]
    assert _as_field_options(argv) == argv


def _listed(out: str) -> dict[str, str]:
    return dict(line.split(None, 1) for line in out.splitlines())


def test_list_names_the_actions_the_user_may_run_with_a_line_each(world):
    code, out, err = _run("--list", "--as", world.carol.email)
    assert (code, err) == (0, "")
    listed = _listed(out)
    assert listed["create-memo"] == registry.get("create-memo").description
    assert list(listed) == sorted(listed)
    # Carol is a member of Acme: the admin's actions are not hers to run.
    assert "rename-org" not in listed
    _, out, _ = _run("--list", "--as", world.alice.email)
    assert "rename-org" in _listed(out)


def test_list_in_a_chosen_org_only_for_its_members(world):
    from orgs import services

    side = services.org_create(user=world.carol, name="Carol's side")
    code, out, _ = _run("--list", "--as", world.carol.email, "--org", side.slug)
    assert code == 0
    assert "rename-org" in _listed(out)  # she owns this one
    code, out, err = _run("--list", "--as", world.alice.email, "--org", str(side.pk))
    assert (code, out) == (1, "")
    assert json.loads(err)["error"]["code"] == "not_found"


def test_list_refuses_an_unknown_user(world):
    code, out, err = _run("--list", "--as", "nobody@x.test")
    assert (code, out) == (1, "")
    assert json.loads(err)["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "args",
    [
        ["--as", "alice@acme.test"],
        ["create-memo", "--list", "--as", "alice@acme.test"],
        ["--list", "--as", "alice@acme.test", "--json", "{}"],
    ],
)
def test_a_name_or_list_and_not_both(world, args):
    with pytest.raises(CommandError) as raised:
        call_command("action", *args, stdout=StringIO(), stderr=StringIO())
    assert raised.value.returncode == 2
    assert "--list" in str(raised.value)


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


@pytest.mark.slow
def test_help_explains_the_command():
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.test")
    help_ = subprocess.run(
        [sys.executable, "manage.py", "action", "--help"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_.returncode == 0, help_.stderr
    text = help_.stdout
    for promise in (
        "Run an action as a user",
        "--list",
        "--as EMAIL",
        "--org SLUG_OR_ID",
        "--json",
        "--field NAME VALUE",
        "repeat a field to give a list",
        "exit codes:",
        '{"error": {"code"',
        "examples:",
        ".venv/bin/python manage.py action create-note --as",
    ):
        assert promise in text
    assert "error:" not in help_.stderr
