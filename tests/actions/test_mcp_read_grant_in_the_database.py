"""A grant that may only read (`mcp:read`) runs its tools in a transaction the
database keeps from writing: with the check in Python turned off, a write tool, or
a read-only tool with a bug that writes, still changes nothing. A full grant writes
as before; a refusal inside such a call is still recorded."""

import pytest
from django.test import Client

from accounts.models import AuditEvent
from accounts.oauth.scopes import MCP_READ, MCP_WRITE
from actions import registry
from actions.mcp import tools
from orgs.models import Role
from scoping.scopes import unscoped
from tests.actions.mcp_calls import call_tool, rpc
from tests.actions.test_mcp_oauth import READ_ONLY_TOOL, WRITE_TOOL, _oauth_headers
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db(transaction=True)


def _memo_titles() -> set[str]:
    with unscoped(reason="test", audit=False):
        return set(Memo.objects.values_list("title", flat=True))


@pytest.fixture
def python_check_off(monkeypatch):
    """A bug in the scope check: every tool permitted to every grant."""
    monkeypatch.setattr(tools, "permits", lambda scopes, action: True)


def test_a_read_grant_cannot_write_when_the_python_check_fails(world, python_check_off):
    headers = _oauth_headers(world.alice, world.acme, scopes=(MCP_READ,))
    response = rpc(
        "tools/call",
        {"name": WRITE_TOOL, "arguments": {"title": "slipped through"}},
        headers=headers,
        client=Client(raise_request_exception=False),
    )
    assert response.status_code == 500
    assert "slipped through" not in _memo_titles()


def _read_only_tool(monkeypatch, *, name: str, role: str, run) -> str:
    """A read-only agent tool registered for this test only; `run()` is its body."""
    action = type(
        "TestTool",
        (registry.Action,),
        {
            "name": name,
            "description": name,
            "read_only": True,
            "agent_tool": True,
            "org_role": role,
            "run": lambda self, ctx, data: run(),
        },
    )()
    monkeypatch.setitem(registry._actions, name, action)
    return name


def test_a_read_only_tool_that_writes_changes_nothing_under_a_read_grant(
    world, monkeypatch
):

    def lists_but_writes():  # a read-only action with a bug
        Memo.objects.create(title="written by a read")
        return {"ok": True}

    buggy = _read_only_tool(
        monkeypatch, name="list-memos-buggy", role=Role.MEMBER, run=lists_but_writes
    )
    headers = _oauth_headers(world.alice, world.acme, scopes=(MCP_READ,))
    response = rpc(
        "tools/call",
        {"name": buggy, "arguments": {}},
        headers=headers,
        client=Client(raise_request_exception=False),
    )
    assert response.status_code == 500
    assert "written by a read" not in _memo_titles()


def test_reads_still_work_and_a_full_grant_still_writes(world):
    read = _oauth_headers(world.alice, world.acme, scopes=(MCP_READ,))
    assert call_tool(READ_ONLY_TOOL, {}, headers=read)["isError"] is False
    full = _oauth_headers(world.carol, world.acme, scopes=(MCP_READ, MCP_WRITE))
    assert call_tool(WRITE_TOOL, {"title": "written"}, headers=full)["isError"] is False
    assert "written" in _memo_titles()


def test_a_refused_read_is_recorded_under_a_read_grant(world, monkeypatch):
    admins_only = _read_only_tool(
        monkeypatch, name="list-memos-for-admins", role=Role.ADMIN, run=dict
    )
    headers = _oauth_headers(world.carol, world.acme, scopes=(MCP_READ,))
    result = call_tool(admins_only, {}, headers=headers)
    assert result["isError"] is True
    assert AuditEvent.objects.filter(
        action=f"action.{admins_only}",
        actor=world.carol,
        metadata__outcome="permission_denied",
    ).exists()
