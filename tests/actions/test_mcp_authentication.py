"""/mcp takes the API's bearer credentials; without one it is 401 with a challenge
naming the resource metadata, and failed ones count as the API's do."""

import pytest
from rest_framework.authentication import BaseAuthentication

from accounts.authentication import Credential
from accounts.oauth.scopes import MCP_READ, MCP_WRITE
from actions.mcp import authentication
from orgs.authentication import ApiTokenWithOrgAuthentication
from tests.actions.mcp_calls import bearer, call_tool, rpc, tool_names

pytestmark = pytest.mark.django_db

STATIC = "s" * 40
METADATA = (
    'resource_metadata="https://app.example/.well-known/oauth-protected-resource/mcp"'
)


@pytest.fixture(autouse=True)
def app_url(settings):
    settings.APP_URL = "https://app.example"


def test_the_api_credentials_are_the_authenticators():
    assert ApiTokenWithOrgAuthentication in authentication.AUTHENTICATORS
    # Last: it claims (and refuses) every bearer token that is not `pat_…`, after
    # trying it as an ACCESS_TOKENS entry and as an OAuth access token.
    assert (
        authentication.AUTHENTICATORS[-1]
        is authentication.StaticOrOAuthTokenAuthentication
    )


@pytest.mark.parametrize("method", ["initialize", "ping", "tools/list"])
def test_without_a_token_401_with_the_resource_metadata(method):
    response = rpc(method, {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == f"Bearer {METADATA}"
    assert response.json()["error"]["code"] == -32000


@pytest.mark.parametrize(
    "authorization",
    ["Bearer pat_nope", "Bearer pat_" + "a" * 12 + "_" + "b" * 43, f"Bearer {STATIC}"],
)
def test_a_bad_token_is_invalid_token(world, authorization):
    response = rpc("ping", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == (f'Bearer error="invalid_token", {METADATA}')


def test_another_scheme_is_no_token():
    response = rpc("ping", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert "error=" not in response["WWW-Authenticate"]


def test_a_personal_token_acts_as_its_user(world):
    result = call_tool("create-memo", {"title": "by token"}, headers=bearer(world.bob))
    assert result["structuredContent"]["owner_email"] == world.bob.email


def test_a_static_access_token_acts_as_its_user(world, settings):
    settings.ACCOUNTS_ACCESS_TOKENS = {STATIC: world.alice.email}
    headers = {"Authorization": f"Bearer {STATIC}"}
    result = call_tool("create-memo", {"title": "static"}, headers=headers)
    assert result["structuredContent"]["owner_email"] == world.alice.email


def test_failed_tokens_are_counted_per_address_as_the_apis(world, settings):
    settings.ACCOUNTS_API_AUTH_FAILURE_RATE = "2/10m"
    headers = {"Authorization": "Bearer pat_nope"}
    assert [rpc("ping", headers=headers).status_code for _ in range(3)] == [
        401,
        401,
        429,
    ]
    throttled = rpc("ping", headers=headers)
    assert int(throttled["Retry-After"]) > 0
    # The same address with a good token still gets in.
    assert rpc("ping", headers=bearer(world.alice)).status_code == 200


def test_a_token_bound_to_an_org_acts_there(world):
    from orgs import services as orgs

    other = orgs.org_create(user=world.alice, name="Other")
    headers = bearer(world.alice, org_id=other.pk)
    result = call_tool("list-memos", {}, headers=headers)
    assert result["structuredContent"] == {"items": []}


# --- scopes: what an OAuth grant's credential carries -----------------------------


class ScopedBearer(BaseAuthentication):
    """Stands for the OAuth access-token class added at integration: `Bearer
    scoped:<scopes>` is alice with those scopes."""

    user = None

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer scoped:"):
            return None
        scopes = frozenset(filter(None, header.removeprefix("Bearer scoped:").split()))
        return self.user, Credential(caller="mcp", scopes=scopes)


@pytest.fixture
def scoped(world, monkeypatch):
    ScopedBearer.user = world.alice
    monkeypatch.setattr(
        authentication,
        "AUTHENTICATORS",
        [ScopedBearer, *authentication.AUTHENTICATORS],
    )

    def headers(*scopes):
        return {"Authorization": "Bearer scoped:" + " ".join(scopes)}

    return headers


def test_read_scope_lists_read_only_tools(scoped):
    names = tool_names(scoped(MCP_READ))
    assert "list-memos" in names
    assert "create-memo" not in names
    assert tool_names(scoped(MCP_READ, MCP_WRITE)) >= {"list-memos", "create-memo"}
    # mcp:write holds no read rights by itself.
    write_only = tool_names(scoped(MCP_WRITE))
    assert "create-memo" in write_only
    assert "list-memos" not in write_only


def test_a_write_without_the_write_scope_is_403_insufficient_scope(scoped):
    response = rpc(
        "tools/call",
        {"name": "create-memo", "arguments": {"title": "no"}},
        headers=scoped(MCP_READ),
    )
    assert response.status_code == 403
    assert response["WWW-Authenticate"] == (
        f'Bearer error="insufficient_scope", scope="mcp:write", {METADATA}'
    )
    from scoping.scopes import unscoped
    from tests.testapp.models import Memo

    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="no").exists()


def test_a_read_without_the_read_scope_is_403(scoped):
    response = rpc("tools/call", {"name": "list-memos"}, headers=scoped(MCP_WRITE))
    assert response.status_code == 403
    assert 'scope="mcp:read"' in response["WWW-Authenticate"]


def test_with_the_scope_the_call_runs(scoped, world):
    result = call_tool("create-memo", {"title": "ok"}, headers=scoped(MCP_WRITE))
    assert result["isError"] is False
    result = call_tool("list-memos", {}, headers=scoped(MCP_READ))
    assert "ok" in {memo["title"] for memo in result["structuredContent"]["items"]}
