"""Roles rank in one place: `orgs.models.Role`. Everywhere else asks it
(`Role(role).at_least(Role.ADMIN)`, `membership.has_role(...)`), so a rank table, a
tuple of "manager" roles or a role name spelled as a string cannot drift from it.

The source of every app and every template is read here; a role literal or a
collection of roles outside orgs/models.py (and migrations) fails the suite.
"""

import ast
import re
from pathlib import Path

import pytest

from orgs.models import Role

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "venv", "tests", "bench", "migrations", "__pycache__", ".git"}
# The one place that may spell the roles out.
ALLOWED = {Path("orgs/models.py")}
ROLE_NAMES = {role.value for role in Role}
_ROLE_ALTERNATIVES = "|".join(sorted(ROLE_NAMES))
_TEMPLATE_LITERAL = re.compile(rf"""(["'])({_ROLE_ALTERNATIVES})\1""", re.IGNORECASE)
_COLLECTIONS = (ast.Tuple, ast.List, ast.Set, ast.Dict)
NOT_A_ROLE = "# not a role"


def app_sources() -> list[Path]:
    paths = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if set(relative.parts) & SKIPPED_DIRS or relative in ALLOWED:
            continue
        paths.append(relative)
    return paths


def _names_a_role(node: ast.AST) -> bool:
    """`Role.ADMIN` or `Role.ADMIN.value`."""
    if isinstance(node, ast.Attribute) and node.attr == "value":
        node = node.value
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def role_literals(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, what) for every role spelled outside the Role enum: a role's name as a
    string, a collection of two or more roles, a name that holds a rank."""
    found = []
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # A word that is also a role's, say Django's "admin" app, is marked so.
            if NOT_A_ROLE in lines[node.lineno - 1]:
                continue
            if node.value.lower() in ROLE_NAMES:
                found.append((node.lineno, f"the role literal {node.value!r}"))
        elif isinstance(node, _COLLECTIONS):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            if sum(_names_a_role(item) for item in items if item is not None) >= 2:
                found.append((node.lineno, "a collection of roles"))
        elif isinstance(node, ast.Name | ast.Attribute) and isinstance(
            node.ctx, ast.Store
        ):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if "RANK" in name.upper():
                found.append((node.lineno, f"a rank table {name}"))
    return found


def test_no_role_literal_or_rank_table_outside_the_role_enum():
    found = [
        f"{path}:{line}: {what}"
        for path in app_sources()
        for line, what in role_literals((ROOT / path).read_text(), str(path))
    ]
    assert found == [], (
        "Ask orgs.models.Role (Role(role).at_least(Role.ADMIN)) instead:\n"
        + "\n".join(found)
    )


def test_no_template_compares_role_names():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _TEMPLATE_LITERAL.search(line)
    ]
    assert found == [], (
        "Give the template what it needs from the view (it asks Role):\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize(
    "source",
    [
        'ROLE_RANK = {"member": 1, "admin": 2, "owner": 3}',
        "MANAGERS = (Role.OWNER, Role.ADMIN)",
        "choices = [Role.MEMBER.value, Role.ADMIN.value]",
        'Membership.objects.filter(role="owner")',
        'org_role = "admin"',
        "if membership.role in {Role.ADMIN, Role.OWNER}: pass",
        "self.rank = 3",
    ],
)
def test_the_scan_finds_what_it_forbids(source):
    """The scan is no placebo: each way of spelling a rank again is caught."""
    assert role_literals(source)


def test_the_scan_passes_what_asks_the_enum():
    source = (
        "org_role = Role.ADMIN\n"
        "ok = Role(membership.role).at_least(Role.ADMIN)\n"
        "owners = Membership.objects.filter(role=Role.OWNER)\n"
        'message = "Only an owner or admin can do this."\n'
    )
    assert role_literals(source) == []


def test_the_template_scan_finds_a_role_name():
    assert _TEMPLATE_LITERAL.search('{% if member.role != "owner" %}')
    assert not _TEMPLATE_LITERAL.search("{% if member.pk in removable %}")


def test_the_scan_reads_the_apps():
    paths = {str(path) for path in app_sources()}
    assert {"orgs/services.py", "actions/registry.py", "accounts/secrets.py"} <= paths
    assert "orgs/models.py" not in paths
