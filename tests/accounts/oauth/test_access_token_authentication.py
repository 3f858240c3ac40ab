"""The DRF authentication class for /mcp: which access tokens it takes, what it
returns, and the challenge it answers with."""

from datetime import timedelta

import pytest
from allauth.idp.oidc.models import Token
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.authentication import Credential
from accounts.oauth.authentication import OAuthAccessTokenAuthentication
from accounts.oauth.models import OAuthGrant
from config.context import MCP


class Probe(APIView):
    """A test-only view behind the class, as /mcp will be."""

    authentication_classes = [OAuthAccessTokenAuthentication]

    def get(self, request):
        return Response(
            {
                "user": request.user.email,
                "org": str(request.auth.bound_org_id),
                "scopes": sorted(request.auth.scopes),
                "caller": request.auth.caller,
            }
        )


def _call(token=None, ip="198.51.100.7"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    request = APIRequestFactory().get("/mcp", REMOTE_ADDR=ip, **headers)
    return Probe.as_view()(request)


def test_valid_token_gives_user_org_scopes_and_mcp_caller(flow):
    tokens = flow.tokens()
    response = _call(tokens.access_token)
    assert response.status_code == 200
    grant = OAuthGrant.objects.get(client_id=tokens.client_id)
    assert response.data == {
        "user": flow.user.email,
        "org": str(grant.org_id),
        "scopes": ["mcp:read", "mcp:write"],
        "caller": MCP,
    }
    grant.refresh_from_db()
    assert grant.last_used_at is not None


def test_credential_is_the_shared_shape(flow):
    tokens = flow.tokens()
    request = APIRequestFactory().get(
        "/mcp", HTTP_AUTHORIZATION=f"Bearer {tokens.access_token}"
    )
    user, credential = OAuthAccessTokenAuthentication().authenticate(request)
    assert user == flow.user
    assert isinstance(credential, Credential)
    assert credential.membership.org_id == credential.bound_org_id


def test_narrowed_consent_narrows_the_scopes(flow):
    from .conftest import pkce_pair

    client_id = flow.register()["client_id"]
    verifier, challenge = pkce_pair()
    response = flow.consent(
        flow.authorize_params(client_id, challenge), scopes=["mcp:read"]
    )
    from .conftest import query_of

    code = query_of(response)["code"]
    access = flow.exchange(client_id, code, verifier).json()["access_token"]
    assert _call(access).data["scopes"] == ["mcp:read"]


def test_missing_token_is_challenged_with_the_metadata_url(db, settings):
    response = _call()
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == (
        f'Bearer resource_metadata="{settings.APP_URL}'
        '/.well-known/oauth-protected-resource/mcp"'
    )


def _assert_invalid_token(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer error="invalid_token", ')
    assert "resource_metadata=" in response["WWW-Authenticate"]


def test_unknown_token_is_refused(db):
    _assert_invalid_token(_call("not-a-token"))


def test_expired_token_is_refused(flow):
    tokens = flow.tokens()
    Token.objects.filter(type=Token.Type.ACCESS_TOKEN).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    _assert_invalid_token(_call(tokens.access_token))


def test_token_for_another_resource_is_refused(flow):
    tokens = flow.tokens()
    access = Token.objects.get(type=Token.Type.ACCESS_TOKEN)
    access.set_resources(["https://elsewhere.example/mcp"])
    access.save()
    _assert_invalid_token(_call(tokens.access_token))


def test_refresh_token_is_not_an_access_token(flow):
    tokens = flow.tokens()
    _assert_invalid_token(_call(tokens.refresh_token))


def test_member_who_left_the_org_loses_access(flow):
    from orgs.models import Membership

    tokens = flow.tokens()
    grant = OAuthGrant.objects.get(client_id=tokens.client_id)
    Membership.objects.filter(user=flow.user, org=grant.org).delete()
    _assert_invalid_token(_call(tokens.access_token))


def test_inactive_user_is_refused(flow):
    tokens = flow.tokens()
    flow.user.is_active = False
    flow.user.save()
    _assert_invalid_token(_call(tokens.access_token))


def test_access_tokens_live_at_most_an_hour(flow):
    flow.tokens()
    access = Token.objects.get(type=Token.Type.ACCESS_TOKEN)
    assert access.expires_at - timezone.now() <= timedelta(hours=1)


@pytest.mark.parametrize("attempts", [31])
def test_failures_are_counted_per_address(db, attempts):
    statuses = [_call("bad-token").status_code for _ in range(attempts)]
    assert statuses[0] == 401
    assert statuses[-1] == 429
