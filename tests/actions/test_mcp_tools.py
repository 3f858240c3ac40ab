"""tools/list is the registry's agent tools the caller may run; tools/call runs one
through the one runner, in the caller's context (caller kind MCP)."""

import json

import jsonschema
import pytest
from django.test import Client

from accounts.models import AuditEvent
from actions import catalog, registry
from actions.schema import serializer_schema
from config.context import MCP
from orgs.context import caller_context
from scoping.scopes import unscoped
from tests.actions.mcp_calls import bearer, call_tool, rpc, tool_names
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db


def listed(headers) -> dict[str, dict]:
    tools = rpc("tools/list", {}, headers=headers).json()["result"]["tools"]
    return {tool["name"]: tool for tool in tools}


def test_the_tools_are_the_agent_tools_the_caller_may_run(world):
    with caller_context(user=world.carol, caller=MCP) as ctx:
        expected = {a.name for a in catalog.actions_for(ctx) if a.agent_tool}
    names = tool_names(bearer(world.carol))
    assert names == expected
    assert "create-memo" in names
    # Carol is a member: delete-folder needs an admin.
    assert "delete-folder" not in names
    assert "delete-folder" in tool_names(bearer(world.alice))  # Acme's owner
    # Never offered as a tool, whatever the role.
    assert "delete-org" not in tool_names(bearer(world.alice))


def test_each_tool_carries_the_actions_schemas_and_hints(world):
    tools = listed(bearer(world.alice))
    create = tools["create-memo"]
    assert create["description"] == registry.get("create-memo").description
    assert create["inputSchema"] == serializer_schema(registry.get("create-memo").input)
    assert create["outputSchema"]["type"] == "object"
    assert create["annotations"]["readOnlyHint"] is False
    assert create["annotations"]["destructiveHint"] is False
    assert tools["list-memos"]["annotations"]["readOnlyHint"] is True
    assert tools["delete-memo"]["annotations"]["destructiveHint"] is True
    for tool in tools.values():
        # The spec: both schemas are objects.
        assert tool["inputSchema"]["type"] == "object"
        assert tool.get("outputSchema", {"type": "object"})["type"] == "object"
        jsonschema.Draft202012Validator.check_schema(tool["inputSchema"])


def test_a_list_output_is_wrapped_in_an_object(world):
    tool = listed(bearer(world.alice))["list-memos"]
    assert tool["outputSchema"]["required"] == ["items"]
    assert tool["outputSchema"]["properties"]["items"]["type"] == "array"


def test_a_call_answers_structured_content_that_fits_the_schema_and_text(world):
    headers = bearer(world.alice)
    tools = listed(headers)
    for name, arguments in [
        ("create-memo", {"title": "via mcp"}),
        ("list-memos", {}),
        ("get-memo", {"id": world.alice_memo.pk}),
    ]:
        result = call_tool(name, arguments, headers=headers)
        assert result["isError"] is False
        structured = result["structuredContent"]
        jsonschema.validate(structured, tools[name]["outputSchema"])
        text = json.loads(result["content"][0]["text"])
        assert text == (structured["items"] if name == "list-memos" else structured)
    result = call_tool("list-memos", {}, headers=headers)
    titles = {memo["title"] for memo in result["structuredContent"]["items"]}
    assert titles == {"alice's memo", "via mcp"}


def test_a_call_sees_only_the_callers_rows(world):
    result = call_tool("list-memos", {}, headers=bearer(world.bob))
    titles = {memo["title"] for memo in result["structuredContent"]["items"]}
    assert titles == {"bob's memo"}
    other = call_tool(
        "get-memo", {"id": world.alice_memo.pk}, headers=bearer(world.bob)
    )
    assert other["isError"] is True
    assert json.loads(other["content"][0]["text"])["error"]["code"] == "not_found"


def test_invalid_input_is_a_tool_error_with_the_field_messages(world):
    result = call_tool(
        "create-memo", {"title": "", "color": 1}, headers=bearer(world.alice)
    )
    assert result["isError"] is True
    assert "structuredContent" not in result
    error = json.loads(result["content"][0]["text"])["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"] == {
        "title": ["This field may not be blank."],
        "color": ["Unknown field."],
    }


def test_a_refused_role_is_a_tool_error(world):
    result = call_tool(
        "delete-folder", {"id": world.acme_folder.pk}, headers=bearer(world.carol)
    )
    assert result["isError"] is True
    error = json.loads(result["content"][0]["text"])["error"]
    assert error["code"] == "permission_denied"


@pytest.mark.parametrize("name", ["no-such-tool", "delete-org", 7, None])
def test_an_unknown_tool_is_invalid_params(world, name):
    response = rpc("tools/call", {"name": name}, headers=bearer(world.alice))
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32602


@pytest.mark.parametrize("arguments", [[1], "x", 3])
def test_arguments_must_be_an_object(world, arguments):
    response = rpc(
        "tools/call",
        {"name": "list-memos", "arguments": arguments},
        headers=bearer(world.alice),
    )
    assert response.json()["error"]["code"] == -32602


def test_a_call_runs_as_mcp_and_its_audit_rows_say_so(world):
    call_tool("create-memo", {"title": "audited"}, headers=bearer(world.alice))
    row = AuditEvent.objects.get(action="memo.created", actor=world.alice)
    assert (row.caller, row.org_id) == (MCP, world.acme.pk)


def test_a_failed_write_is_rolled_back_and_recorded(world):
    headers = bearer(world.alice)
    result = call_tool("create-memo", {"title": "t", "folder": 999999}, headers=headers)
    assert result["isError"] is True
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="t").exists()
    row = AuditEvent.objects.get(action="action.create-memo")
    assert (row.caller, row.metadata["outcome"]) == (MCP, "invalid_input")


def test_x_org_names_the_org_of_the_call(world):
    from orgs import services as orgs

    other = orgs.org_create(user=world.alice, name="Elsewhere")
    headers = {**bearer(world.alice), "X-Org": other.slug}
    call_tool("create-memo", {"title": "elsewhere"}, headers=headers)
    with unscoped(reason="test"):
        assert Memo.objects.get(title="elsewhere").org_id == other.pk


def test_x_org_of_an_org_not_theirs_is_refused(world):
    headers = {**bearer(world.alice), "X-Org": world.bobco.slug}
    response = rpc("tools/call", {"name": "list-memos"}, headers=headers)
    assert response.status_code == 404
    assert response.json()["error"]["data"]["error"]["code"] == "not_found"


def test_every_delete_says_it_is_destructive():
    deletes = [a for a in registry.all_actions() if a.name.startswith("delete-")]
    assert deletes
    assert [a.name for a in deletes if not a.destructive] == []


def test_a_bug_in_an_action_is_a_500_that_leaks_nothing(world, monkeypatch):
    def broken(ctx, data):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(registry.get("list-memos"), "run", broken)
    client = Client(raise_request_exception=False)
    response = rpc(
        "tools/call", {"name": "list-memos"}, headers=bearer(world.alice), client=client
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "secret detail" not in response.content.decode()


def test_an_unknown_path_below_mcp_is_a_json_404(world):
    response = Client().post("/mcp/elsewhere", "{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_every_tool_name_is_one_the_spec_allows():
    from mcp.shared.tool_name_validation import validate_tool_name

    checked = {a.name: validate_tool_name(a.name) for a in registry.all_actions()}
    assert {name: r.warnings for name, r in checked.items() if r.warnings} == {}
    assert all(result.is_valid for result in checked.values())
