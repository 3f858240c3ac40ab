"""/mcp with an OAuth access token: the grant's user, org and scopes, and nothing
once the connection is revoked (Django's test client; the official SDK's own OAuth
client runs the same against a live server in test_mcp_oauth_sdk.py)."""

import pytest
from django.test import Client

from accounts.oauth.models import OAuthGrant
from accounts.oauth.scopes import MCP_READ, MCP_WRITE
from tests.accounts.oauth.conftest import Flow, pkce_pair, query_of
from tests.actions.mcp_calls import call_tool, rpc, tool_names

pytestmark = pytest.mark.django_db

READ_ONLY_TOOL = "list-memos"
WRITE_TOOL = "create-memo"


def _oauth_headers(user, org, *, scopes=(MCP_READ, MCP_WRITE)) -> dict:
    browser = Client()
    browser.force_login(user)
    flow = Flow(user, browser)
    client_id = flow.register()["client_id"]
    verifier, challenge = pkce_pair()
    params = flow.authorize_params(client_id, challenge, scope=" ".join(scopes))
    response = flow.consent(params, org=org, scopes=list(scopes))
    assert response.status_code == 302, response.content
    tokens = flow.exchange(client_id, query_of(response)["code"], verifier).json()
    assert set(tokens["scope"].split()) == set(scopes)
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_an_oauth_token_acts_as_its_user_in_the_granted_org(world):
    headers = _oauth_headers(world.alice, world.acme)
    created = call_tool(WRITE_TOOL, {"title": "over oauth"}, headers=headers)
    assert created["isError"] is False
    assert created["structuredContent"]["owner_email"] == world.alice.email
    listed = call_tool(READ_ONLY_TOOL, {}, headers=headers)["structuredContent"]
    titles = {memo["title"] for memo in listed["items"]}
    # Alice's own memos in Acme; never Carol's (same org) or Bob's (another org).
    assert titles == {"alice's memo", "over oauth"}


def test_a_read_grant_lists_and_runs_only_read_only_tools(world):
    headers = _oauth_headers(world.alice, world.acme, scopes=(MCP_READ,))
    names = tool_names(headers)
    assert READ_ONLY_TOOL in names
    assert WRITE_TOOL not in names
    assert call_tool(READ_ONLY_TOOL, {}, headers=headers)["isError"] is False
    response = rpc(
        "tools/call", {"name": WRITE_TOOL, "arguments": {"title": "x"}}, headers=headers
    )
    assert response.status_code == 403
    challenge = response["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert f'scope="{MCP_WRITE}"' in challenge


def test_a_disconnected_app_stops_at_once(world):
    headers = _oauth_headers(world.alice, world.acme)
    assert call_tool(READ_ONLY_TOOL, {}, headers=headers)["isError"] is False
    grant = OAuthGrant.objects.get(user=world.alice)
    browser = Client()
    browser.force_login(world.alice)
    response = browser.post(f"/account/apps/{grant.pk}/disconnect/")
    assert response.status_code == 302
    refused = rpc("tools/list", {}, headers=headers)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused["WWW-Authenticate"]


def test_a_member_who_left_the_granted_org_is_refused(world):
    from orgs import services as orgs

    headers = _oauth_headers(world.carol, world.acme)
    assert call_tool(READ_ONLY_TOOL, {}, headers=headers)["isError"] is False
    orgs.member_leave(org=world.acme, user=world.carol)
    assert rpc("tools/list", {}, headers=headers).status_code == 401


def test_static_tokens_still_work_beside_oauth(world, settings):
    settings.ACCOUNTS_ACCESS_TOKENS = {"s" * 40: world.bob.email}
    result = call_tool(
        READ_ONLY_TOOL, {}, headers={"Authorization": "Bearer " + "s" * 40}
    )
    titles = {memo["title"] for memo in result["structuredContent"]["items"]}
    assert titles == {"bob's memo"}
