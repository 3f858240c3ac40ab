"""Drive the OAuth server as an agent host does: register, authorize with PKCE as a
signed-in user who consents, exchange the code, refresh."""

import base64
import hashlib
import json
import secrets
from types import SimpleNamespace
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.test import Client as Browser

from accounts.oauth.resource import mcp_url
from tests.factories import UserFactory

REDIRECT_URI = "https://host.example/callback"
REGISTER_URL = "/identity/o/api/clients"
AUTHORIZE_URL = "/identity/o/authorize"
TOKEN_URL = "/identity/o/api/token"
REVOKE_URL = "/identity/o/api/revoke"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(response) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}


class Flow:
    def __init__(self, user, browser: Browser):
        self.user = user
        self.browser = browser
        self.api = Browser()

    def register(self, **metadata) -> dict:
        body = {
            "client_name": "Agent Host",
            "redirect_uris": [REDIRECT_URI],
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            **metadata,
        }
        response = self.api.post(
            REGISTER_URL, json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        return response.json()

    def authorize_params(self, client_id, challenge, **overrides) -> dict:
        params = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "mcp:read mcp:write",
            "state": "st-123",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "resource": mcp_url(),
            **overrides,
        }
        return {k: v for k, v in params.items() if v is not None}

    def authorize(self, params: dict):
        return self.browser.get(f"{AUTHORIZE_URL}?{urlencode(params)}")

    def consent(self, params: dict, *, org=None, scopes=None, action="grant"):
        """GET the consent page, then post it; the response redirects to the host."""
        page = self.authorize(params)
        assert page.status_code == 200, page.content
        form = page.context["form"]
        data = {
            "request": form["request"].value(),
            "scopes": scopes or form["scopes"].value(),
            "action": action,
        }
        chosen = org if org is not None else form["org"].value()
        if chosen is not None:
            data["org"] = getattr(chosen, "pk", chosen)
        return self.browser.post(AUTHORIZE_URL, data)

    def code_for(self, client_id, *, org=None, **overrides) -> tuple[str, str]:
        verifier, challenge = pkce_pair()
        response = self.consent(
            self.authorize_params(client_id, challenge, **overrides), org=org
        )
        assert response.status_code == 302, response.content
        return query_of(response)["code"], verifier

    def exchange(self, client_id, code, verifier, **overrides):
        data = {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": REDIRECT_URI,
            "resource": mcp_url(),
            **overrides,
        }
        return self.api.post(
            TOKEN_URL, {k: v for k, v in data.items() if v is not None}
        )

    def refresh(self, client_id, refresh_token):
        return self.api.post(
            TOKEN_URL,
            {
                "grant_type": "refresh_token",
                "client_id": client_id,
                "refresh_token": refresh_token,
            },
        )

    def tokens(self, client_id=None, *, org=None) -> SimpleNamespace:
        """A registered client (or `client_id`) and the tokens of a full flow."""
        client_id = client_id or self.register()["client_id"]
        code, verifier = self.code_for(client_id, org=org)
        response = self.exchange(client_id, code, verifier)
        assert response.status_code == 200, response.content
        return SimpleNamespace(client_id=client_id, **response.json())


@pytest.fixture
def org_of():
    from orgs import services as orgs

    def make(user, name):
        return orgs.org_create(user=user, name=name)

    return make


@pytest.fixture
def flow(db, org_of):
    user = UserFactory()
    org_of(user, "Acme")
    browser = Browser()
    browser.force_login(user)
    return Flow(user, browser)
