"""One function builds the caller's Context: the source says so, and the runner
refuses any Context its entrance did not enter."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from actions import registry, runner
from config.context import TASK, Context, current_context
from orgs.context import caller_context

APPS = ("accounts", "orgs", "actions", "scoping", "webhooks", "a2a", "config")
# Where a Context may be made, and request.org / request.membership set.
BUILDERS = {Path("config/context.py"), Path("orgs/context.py")}


def _sources():
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(root), ast.parse(path.read_text())


def _calls_context(node) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "Context")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "Context")
    )


def _sets_request_org(node) -> bool:
    targets = []
    if isinstance(node, ast.Assign):
        for target in node.targets:
            targets += target.elts if isinstance(target, ast.Tuple) else [target]
    return any(
        isinstance(target, ast.Attribute)
        and target.attr in {"org", "membership", "ctx"}
        and "request" in ast.unparse(target.value)
        for target in targets
    )


def test_only_the_one_function_builds_a_context_or_sets_request_org():
    offenders = [
        f"{path}:{node.lineno}"
        for path, tree in _sources()
        if path not in BUILDERS
        for node in ast.walk(tree)
        if _calls_context(node) or _sets_request_org(node)
    ]
    assert offenders == []


def test_the_first_use_org_is_set_up_from_one_place():
    """Resolving the org of a call is a read; only the one function, when that read
    finds none, calls the service that sets one up."""
    callers = [
        f"{path}:{node.lineno}"
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func).endswith("active_org_ensure")
    ]
    assert [caller.split(":")[0] for caller in callers] == ["orgs/context.py"]


def test_the_guard_sees_an_offender():
    """The check above can fail: a hand-made Context is found."""
    tree = ast.parse("ctx = Context(user=None)\nrequest._request.org = org\n")
    assert sum(map(_calls_context, ast.walk(tree))) == 1
    assert sum(map(_sets_request_org, ast.walk(tree))) == 1


def test_no_service_takes_a_request_for_its_audit_rows():
    """Request details come from the Context; a `request=` keyword threaded through
    services was how they came before, and must not come back."""
    offenders = [
        f"{path}:{node.lineno} {node.name}"
        for path, tree in _sources()
        if path not in BUILDERS  # the one function reads the request it is given
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(arg.arg == "request" for arg in node.args.kwonlyargs)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_runner_refuses_a_context_nobody_entered(world):
    action = registry.get("create-memo")
    forged = Context(user=world.alice, org=world.acme, caller=TASK)
    with pytest.raises(RuntimeError, match="caller_context"):
        runner.execute(action, forged, {"title": "forged"})
    with caller_context(user=world.alice, caller=TASK) as ctx:
        assert current_context() is ctx
        runner.execute(action, ctx, {"title": "entered"})
    assert current_context().user is None  # left on exit
