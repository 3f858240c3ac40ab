"""`manage.py mcp` serves the same tools over stdio: as a named person with DEBUG
on, as a personal token's person anywhere."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from mcp.client.stdio import StdioServerParameters

from accounts.models import AuditEvent
from accounts.services import api_token_create
from config.context import MCP
from tests.actions.mcp_sdk import over_stdio
from tests.processes import BASE_DIR, clean_env, test_database_url

pytestmark = pytest.mark.django_db


def serve(monkeypatch, capsys, lines: list, *args) -> list[dict]:
    """Run the command in this process on `lines` (JSON-able or raw strings); its
    answers, one per line."""
    text = "".join(
        (line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    call_command("mcp", *args)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def request(method, params=None, request_id=1):
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": method,
        "params": params or {},
    }


def test_as_a_named_person_only_with_debug(world, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("mcp", "--as", world.alice.email)


def test_who_must_be_said(world):
    with pytest.raises(CommandError, match="Say who"):
        call_command("mcp")


def test_a_bad_token_is_refused(world):
    with pytest.raises(CommandError, match="not a valid personal API token"):
        call_command("mcp", "--token", "pat_nope")


def test_the_token_and_as_must_agree(world):
    secret = api_token_create(user=world.alice, name="stdio")[1]
    with pytest.raises(CommandError, match="another user"):
        call_command("mcp", "--token", secret, "--as", world.bob.email)


def test_with_debug_it_serves_the_person_named(world, settings, monkeypatch, capsys):
    settings.DEBUG = True
    answers = serve(
        monkeypatch,
        capsys,
        [
            request("initialize", {"protocolVersion": "2025-06-18"}),
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            "",
            "{broken",
            request(
                "tools/call", {"name": "create-memo", "arguments": {"title": "s"}}, 2
            ),
            request("tools/call", {"name": "list-memos"}, 3),
        ],
        "--as",
        world.alice.email,
    )
    # No answer to the notification nor to the blank line.
    assert [a["id"] for a in answers] == [1, None, 2, 3]
    assert answers[0]["result"]["protocolVersion"] == "2025-06-18"
    assert answers[1]["error"]["code"] == -32700
    assert answers[2]["result"]["structuredContent"]["owner_email"] == world.alice.email
    titles = {m["title"] for m in answers[3]["result"]["structuredContent"]["items"]}
    assert titles == {"alice's memo", "s"}
    row = AuditEvent.objects.get(action="memo.created", actor=world.alice)
    assert row.caller == MCP


def test_org_chooses_the_org(world, settings, monkeypatch, capsys):
    settings.DEBUG = True
    answers = serve(
        monkeypatch,
        capsys,
        [request("tools/call", {"name": "list-memos"})],
        "--as",
        world.alice.email,
        "--org",
        world.bobco.slug,
    )
    # Not one of hers: refused like X-Org, no rows.
    assert answers[0]["error"]["data"]["error"]["code"] == "not_found"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_official_sdk_over_stdio_with_a_token(world):
    secret = api_token_create(user=world.bob, name="stdio")[1]
    params = StdioServerParameters(
        command=sys.executable,
        args=["manage.py", "mcp", "--token", secret],
        env=clean_env(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=test_database_url(),
        ),
        cwd=str(BASE_DIR),
    )

    async def use(client):
        tools = await client.list_tools()
        created = await client.call_tool("create-memo", {"title": "over stdio"})
        listed = await client.call_tool("list-memos", {})
        return client.protocol_version, tools, created, listed

    version, tools, created, listed = over_stdio(params, use)
    assert version == "2025-11-25"
    assert "create-memo" in {tool.name for tool in tools.tools}
    assert created.structured_content["owner_email"] == world.bob.email
    titles = {m["title"] for m in listed.structured_content["items"]}
    assert titles == {"bob's memo", "over stdio"}
