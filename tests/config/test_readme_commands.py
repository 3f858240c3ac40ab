"""The README's commands work as written from a fresh clone: none assumes an
activated virtualenv (`python manage.py …`, `pytest`, `celery` from PATH), and the
tools, management commands and Make targets they name exist."""

import re

from django.core.management import get_commands

from tests.processes import BASE_DIR, VENV_BIN

README = (BASE_DIR / "README.md").read_text()
MAKEFILE = (BASE_DIR / "Makefile").read_text()

# What would come from an activated venv's PATH if typed bare.
BARE = re.compile(
    r"^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*"  # leading VAR=value assignments
    r"(?:\./)?(python3?|pip3?|pytest|celery|gunicorn|ruff|django-admin|manage\.py)\b"
)
# The one command that needs a system Python: making the venv.
ALLOWED = {"python3 -m venv .venv"}


def _commands(text: str) -> list[str]:
    """Lines of shell code blocks, and inline code spans outside them."""
    blocks = re.compile(r"^\s*```(\w*)\n(.*?)^\s*```", re.S | re.M)
    found = [
        line.strip()
        for block in blocks.finditer(text)
        if block[1] in ("", "sh", "bash", "shell", "console")
        for line in block[2].splitlines()
    ]
    prose = blocks.sub("", text)
    found += [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]
    return [command for command in found if command]


def test_the_scan_sees_commands_in_blocks_and_inline():
    text = "Run `python manage.py migrate`.\n```sh\nFOO=1 celery -A x worker\n```\n"
    assert [c for c in _commands(text) if BARE.match(c)] == [
        "FOO=1 celery -A x worker",
        "python manage.py migrate",
    ]


def test_no_command_assumes_an_activated_venv():
    bare = [c for c in _commands(README) if BARE.match(c) and c not in ALLOWED]
    assert bare == [], "write these as .venv/bin/<tool> … (or a make target)"


def test_the_venv_tools_named_are_installed():
    named = set(re.findall(r"\.venv/bin/([\w.-]+)", README))
    assert {"python", "pytest", "celery"} <= named
    missing = sorted(tool for tool in named if not (VENV_BIN / tool).exists())
    assert missing == []


def test_the_management_commands_named_exist():
    named = set(re.findall(r"python manage\.py\s+([\w-]+)", README))
    assert {"action", "db_check_scoping"} <= named
    assert sorted(named - set(get_commands())) == []


def test_the_make_targets_named_exist():
    targets = set(re.findall(r"^([a-z][\w-]*):", MAKEFILE, re.M))
    named = set(re.findall(r"`make\s+([a-z][\w-]*)", README))
    named |= set(re.findall(r"^make ([a-z][\w-]*)", README, re.M))
    assert {"run", "test", "setup"} <= named
    assert sorted(named - targets) == []
