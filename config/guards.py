"""Guards: what the template promises, checked in the code by its syntax tree.

`python manage.py guards` fails, with file:line and a fix, on:
- raw-sql: raw SQL (`cursor.execute`, `.raw`, `.extra`, `RawSQL`) naming a scoped table
  outside `scoping/` (the ORM and the scoping engines are the way in);
- env-read: `os.environ` / `os.getenv` read outside `config/settings/`;
- env-write: any change to `os.environ` (outside tests, which are not scanned);
- stand-in-identity: an `or "…@…"` fallback for a missing user, or the literals
  `local@localhost` / `dev@local.test`;
- secret-resolution: `resolve_secret` / `expand_keys` without both `user=` and `org=`.

A line is excused only by `# guard: allow-<rule> — <reason>`; the reason is required.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

SKIPPED_DIRS = {
    ".venv",
    "venv",
    "node_modules",
    "tests",
    "__pycache__",
    ".git",
    "staticfiles",
    "media",
    ".broker",
}
STAND_IN_LITERALS = {  # the literals this guard looks for
    "local@localhost",  # guard: allow-stand-in-identity — what we look for
    "dev@local.test",  # guard: allow-stand-in-identity — what we look for
}
SECRET_RESOLVERS = {"resolve_secret", "expand_keys"}
_ALLOW = re.compile(r"#\s*guard:\s*allow-([a-z-]+)\s*(?:—|--|-|:)\s*(\S.*)$")

FIXES = {
    "raw-sql": "use the ORM, or move the SQL into scoping/ where the engines own it",
    "env-read": "read it in config/settings/ and use django.conf.settings",
    "env-write": "never change the process environment; pass values explicitly",
    "stand-in-identity": "a missing user is an error (401/403), never a default",
    "secret-resolution": "pass both user= and org= so the right scope resolves it",
}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    rule: str
    message: str
    # The statement's last line: an allow comment may sit on any of its lines.
    end_line: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where}: [{self.rule}] {self.message} — fix: {FIXES[self.rule]}"


def scan(root: Path, *, scoped_tables: set[str]) -> list[Violation]:
    violations = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if set(relative.parts) & SKIPPED_DIRS:
            continue
        source = path.read_text()
        try:
            tree = ast.parse(source, filename=str(relative))
        except SyntaxError as error:
            violations.append(
                Violation(str(relative), error.lineno or 0, "raw-sql", "not parseable")
            )
            continue
        checker = _Checker(relative, scoped_tables)
        checker.visit(tree)
        lines = source.splitlines()
        violations += [v for v in checker.found if not _excused(v, lines)]
    return violations


def _excused(violation: Violation, lines: list[str]) -> bool:
    last = max(violation.end_line, violation.line)
    for text in lines[violation.line - 1 : last]:
        match = _ALLOW.search(text)
        if match and match[1] == violation.rule and match[2].strip():
            return True
    return False


def _strings(node) -> list[str]:
    """The literal text in an expression (constants and f-string parts)."""
    found = []
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            found.append(child.value)
    return found


def _is_os_environ(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


class _Checker(ast.NodeVisitor):
    def __init__(self, path: Path, scoped_tables: set[str]):
        self.path = path
        self.found: list[Violation] = []
        self.in_settings = path.parts[:2] == ("config", "settings")
        self.in_scoping = path.parts[:1] == ("scoping",)
        self.table_pattern = (
            re.compile(
                r"\b(" + "|".join(map(re.escape, sorted(scoped_tables))) + r")\b"
            )
            if scoped_tables
            else None
        )

    def add(self, node, rule: str, message: str) -> None:
        end = getattr(node, "end_lineno", None) or node.lineno
        self.found.append(Violation(str(self.path), node.lineno, rule, message, end))

    # --- calls: raw SQL, environment, secrets -----------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        name = (
            node.func.attr
            if isinstance(node.func, ast.Attribute)
            else getattr(node.func, "id", "")
        )
        if name in {"execute", "executemany", "raw", "extra", "RawSQL"}:
            self._raw_sql(node, name)
        if isinstance(node.func, ast.Attribute) and _is_os_environ(node.func.value):
            if node.func.attr in {"setdefault", "update", "pop", "popitem", "clear"}:
                self.add(node, "env-write", f"os.environ.{node.func.attr}()")
            elif not self.in_settings:
                self.add(node, "env-read", f"os.environ.{node.func.attr}()")
        if (
            isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "os"
        ):
            if node.func.attr in {"putenv", "unsetenv"}:
                self.add(node, "env-write", f"os.{node.func.attr}()")
            elif node.func.attr == "getenv" and not self.in_settings:
                self.add(node, "env-read", "os.getenv()")
        if name in SECRET_RESOLVERS:
            keywords = {keyword.arg for keyword in node.keywords}
            if not {"user", "org"} <= keywords:
                self.add(node, "secret-resolution", f"{name}() without user= and org=")
        self.generic_visit(node)

    def _raw_sql(self, node: ast.Call, name: str) -> None:
        if self.in_scoping or self.table_pattern is None:
            return
        for text in _strings(
            ast.Tuple(elts=[*node.args, *[k.value for k in node.keywords]])
        ):
            match = self.table_pattern.search(text)
            if match:
                self.add(node, "raw-sql", f"{name}() names scoped table {match[1]}")
                return

    # --- environment subscripts -------------------------------------------------------

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if _is_os_environ(node.value):
            if isinstance(node.ctx, ast.Store | ast.Del):
                self.add(node, "env-write", "os.environ[...] changed")
            elif not self.in_settings:
                self.add(node, "env-read", "os.environ[...] read")
        self.generic_visit(node)

    # --- stand-in identities ----------------------------------------------------------

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        if isinstance(node.op, ast.Or):
            last = node.values[-1]
            if isinstance(last, ast.Constant) and "@" in str(last.value):
                self.add(node, "stand-in-identity", f"falls back to {last.value!r}")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and node.value in STAND_IN_LITERALS:
            self.add(node, "stand-in-identity", f"the literal {node.value!r}")
