"""The happy path: register, consent, exchange; tokens bound to /mcp and the org."""

from allauth.idp.oidc.models import Token

from accounts.models import AuditEvent
from accounts.oauth.models import OAuthGrant
from accounts.oauth.resource import mcp_url

from .conftest import query_of


def test_full_flow_issues_tokens_bound_to_mcp_and_the_org(flow):
    client_id = flow.register()["client_id"]
    tokens = flow.tokens(client_id)
    assert tokens.token_type == "Bearer"
    assert 0 < tokens.expires_in <= 3600
    assert tokens.refresh_token
    assert set(tokens.scope.split()) == {"mcp:read", "mcp:write"}
    access = Token.objects.lookup(Token.Type.ACCESS_TOKEN, tokens.access_token)
    assert access.get_resources() == [mcp_url()]
    grant = OAuthGrant.objects.get(client_id=client_id, user=flow.user)
    assert grant.org.name == "Acme"
    assert AuditEvent.objects.filter(
        action="oauth.grant_created", actor=flow.user, org_id=grant.org_id
    ).exists()


def test_state_is_returned(flow):
    client_id = flow.register()["client_id"]
    from .conftest import pkce_pair

    _, challenge = pkce_pair()
    response = flow.consent(
        flow.authorize_params(client_id, challenge, state="xyz-987")
    )
    assert query_of(response)["state"] == "xyz-987"


def test_cancel_answers_access_denied(flow):
    client_id = flow.register()["client_id"]
    from .conftest import pkce_pair

    _, challenge = pkce_pair()
    response = flow.consent(
        flow.authorize_params(client_id, challenge), action="cancel"
    )
    assert query_of(response) == {"error": "access_denied", "state": "st-123"}
    assert not OAuthGrant.objects.exists()


def test_tokens_are_stored_hashed(flow):
    tokens = flow.tokens()
    stored = set(Token.objects.values_list("hash", flat=True))
    assert tokens.access_token not in stored
    assert tokens.refresh_token not in stored
