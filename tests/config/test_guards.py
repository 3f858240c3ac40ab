"""Each guard catches a planted example in a fixture project; the real tree passes."""

import textwrap
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from config.guards import scan

SCOPED = {"testapp_memo"}


def _project(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def _rules(tmp_path, files):
    found = scan(_project(tmp_path, files), scoped_tables=SCOPED)
    return sorted((v.path, v.line, v.rule) for v in found)


PLANTED = {
    "raw-sql": (
        "app/views.py",
        """\
        def f(cursor, Memo):
            cursor.execute("SELECT * FROM testapp_memo WHERE id = %s", [1])
            Memo.objects.raw(f"SELECT * FROM testapp_memo")
            RawSQL("SELECT 1 FROM testapp_memo", [])
        """,
        [2, 3, 4],
    ),
    "env-read": (
        "app/conf.py",
        """\
        import os
        KEY = os.environ["API_KEY"]
        OTHER = os.environ.get("OTHER")
        THIRD = os.getenv("THIRD")
        """,
        [2, 3, 4],
    ),
    "env-write": (
        "app/boot.py",
        """\
        import os
        os.environ["X"] = "1"
        os.environ.setdefault("Y", "2")
        del os.environ["X"]
        os.putenv("Z", "3")
        """,
        [2, 3, 4, 5],
    ),
    "stand-in-identity": (
        "app/who.py",
        """\
        def who(request):
            email = request.user.email or "anonymous@example.com"
            fallback = "local@localhost"
            return email, fallback, "dev@local.test"
        """,
        [2, 3, 4],
    ),
    "secret-resolution": (
        "app/keys.py",
        """\
        def use(user, org):
            resolve_secret("K", user=user)
            expand_keys("${keys.K}", org=org)
            resolve_secret("K", user=user, org=org)
        """,
        [2, 3],
    ),
}


@pytest.mark.parametrize("rule", PLANTED)
def test_each_guard_catches_its_planted_example(tmp_path, rule):
    path, text, lines = PLANTED[rule]
    found = _rules(tmp_path, {path: text})
    assert found == [(path, line, rule) for line in lines]


def test_raw_sql_inside_scoping_and_on_other_tables_is_fine(tmp_path):
    assert (
        _rules(
            tmp_path,
            {
                "scoping/engine.py": 'cursor.execute("DELETE FROM testapp_memo")\n',
                "app/report.py": 'cursor.execute("SELECT * FROM django_session")\n',
            },
        )
        == []
    )


def test_settings_may_read_the_environment(tmp_path):
    assert (
        _rules(tmp_path, {"config/settings/base.py": 'import os\nX = os.getenv("X")\n'})
        == []
    )


def test_tests_are_not_scanned(tmp_path):
    assert (
        _rules(tmp_path, {"tests/test_x.py": 'import os\nos.environ["A"] = "1"\n'})
        == []
    )


def test_an_excuse_may_sit_on_any_line_of_the_statement(tmp_path):
    found = _rules(
        tmp_path,
        {
            "app/boot.py": """\
        import os
        os.environ.update(
            {"A": "1"}
        )  # guard: allow-env-write — the harness needs it
        """
        },
    )
    assert found == []


def test_a_line_is_excused_only_with_a_reason(tmp_path):
    found = _rules(
        tmp_path,
        {
            "app/boot.py": """\
        import os
        os.environ["A"] = "1"  # guard: allow-env-write — the test harness needs it
        os.environ["B"] = "1"  # guard: allow-env-write
        os.environ["C"] = "1"  # guard: allow-env-read — wrong rule
        """
        },
    )
    assert found == [("app/boot.py", 3, "env-write"), ("app/boot.py", 4, "env-write")]


@pytest.mark.django_db
def test_the_real_tree_passes():
    out = StringIO()
    call_command("guards", stdout=out)
    assert out.getvalue().strip() == "Guards: no violations."


@pytest.mark.django_db
def test_the_command_fails_with_file_line_and_a_fix(tmp_path):
    _project(tmp_path, {"app/x.py": 'import os\nos.environ["A"] = "1"\n'})
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("guards", "--root", str(tmp_path), stdout=out)
    assert "app/x.py:2: [env-write] os.environ[...] changed — fix:" in out.getvalue()
