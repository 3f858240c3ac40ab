"""The checks every action gets over HTTP, for any app's list of cases.

tests/actions/test_every_action.py runs them for the framework's actions (and the
test app's); an app with actions of its own keeps its cases in
`tests/<app>/action_cases.py` and runs the same checks from a test module there, so
deleting an app together with its tests folder leaves the rest complete.
"""

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.actions.conftest import call


@dataclass
class Case:
    name: str
    caller: str  # who may: a user of the world (alice owns Acme, carol is a member…)
    valid: Callable  # world -> input
    succeeded: Callable  # (world, result) -> bool
    invalid: object = None  # an input that fails validation; None: nothing to fail
    invalid_field: str = "non_field_errors"
    forbidden: str | None = None  # a caller whose role may not; None: no role needed
    setup: Callable = field(default=lambda world: None)
    debug: bool = False  # an action for local development: runs with DEBUG on


def app_cases() -> list[Case]:
    """The cases of every `tests/<app>/action_cases.py`."""
    cases = []
    for path in sorted(Path(__file__).parents[1].glob("*/action_cases.py")):
        cases += importlib.import_module(f"tests.{path.parent.name}.action_cases").CASES
    return cases


def framework_state():
    """Everything the framework's (and the test app's) actions could change, read
    unscoped."""
    from orgs.models import DomainClaim, Invitation, Membership, Organization
    from scoping.scopes import unscoped
    from tests.testapp.models import Folder, Memo

    with unscoped(reason="test: compare state"):
        return (
            sorted(Memo.objects.values_list("id", "title", "body", "folder_id")),
            sorted(Folder.objects.values_list("id", "name")),
            sorted(Organization.objects.values_list("name", flat=True)),
            sorted(DomainClaim.objects.values_list("domain", "status")),
            sorted(Membership.objects.values_list("user__email", "role")),
            sorted(Invitation.objects.values_list("email", "status")),
        )


def _users(world, erin, dave):
    return {
        "alice": world.alice,
        "bob": world.bob,
        "carol": world.carol,
        "erin": erin,
        "dave": dave,
    }


def _for_local_development(case: Case, settings) -> None:
    """Local-development actions refuse without DEBUG (tests/accounts checks that)."""
    if case.debug:
        settings.DEBUG = True


def action_tests(cases: list[Case], *, state: Callable):
    """The four checks, parametrized over `cases`; `state()` reads, unscoped,
    everything the actions could change. Assign them to test_ names in a module."""

    @pytest.mark.parametrize("case", cases, ids=lambda c: c.name)
    def test_without_identity_401(world, case, settings):
        _for_local_development(case, settings)
        data = case.valid(world)
        before = state()
        response = call(None, case.name, data)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert state() == before

    @pytest.mark.parametrize("case", cases, ids=lambda c: c.name)
    def test_permitted_call_succeeds(world, erin, dave, case, settings):
        _for_local_development(case, settings)
        case.setup(world)
        response = call(
            _users(world, erin, dave)[case.caller], case.name, case.valid(world)
        )
        assert response.status_code == 200, response.content
        assert case.succeeded(world, response.json()), response.json()

    @pytest.mark.parametrize(
        "case", [c for c in cases if c.invalid is not None], ids=lambda c: c.name
    )
    def test_invalid_input_400_with_field_errors_and_nothing_written(
        world, erin, dave, case, settings
    ):
        _for_local_development(case, settings)
        case.setup(world)
        user = _users(world, erin, dave)[case.caller]
        before = state()
        response = call(user, case.name, case.invalid)
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["code"] == "invalid_input"
        assert error["fields"][case.invalid_field]
        assert state() == before

    @pytest.mark.parametrize(
        "case", [c for c in cases if c.forbidden is not None], ids=lambda c: c.name
    )
    def test_forbidden_role_403_and_nothing_written(world, erin, dave, case, settings):
        _for_local_development(case, settings)
        case.setup(world)
        data = case.valid(world)
        before = state()
        response = call(_users(world, erin, dave)[case.forbidden], case.name, data)
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "permission_denied"
        assert state() == before

    return (
        test_without_identity_401,
        test_permitted_call_succeeds,
        test_invalid_input_400_with_field_errors_and_nothing_written,
        test_forbidden_role_403_and_nothing_written,
    )


def mcp_tests(cases: list[Case]):
    """The check over MCP, parametrized over the cases of agent tools: a permitted
    call succeeds as over HTTP, and its structured result fits the tool's
    `outputSchema`. Assign it to a test_ name in a module."""
    from actions import registry

    tools = [c for c in cases if registry.get(c.name).agent_tool]

    @pytest.mark.parametrize("case", tools, ids=lambda c: c.name)
    def test_permitted_tool_call_fits_its_output_schema(
        world, erin, dave, case, settings
    ):
        import jsonschema

        from actions.mcp.tools import definition
        from tests.actions.mcp_calls import bearer, call_tool

        _for_local_development(case, settings)
        case.setup(world)
        user = _users(world, erin, dave)[case.caller]
        result = call_tool(case.name, case.valid(world), headers=bearer(user))
        assert result["isError"] is False, result
        assert case.succeeded(world, json.loads(result["content"][0]["text"]))
        schema = definition(registry.get(case.name)).get("outputSchema")
        if schema is not None:
            jsonschema.Draft202012Validator(schema).validate(
                result["structuredContent"]
            )

    return test_permitted_tool_call_fits_its_output_schema
