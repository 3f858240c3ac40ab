"""Every page and endpoint needs a signed-in user unless it is explicitly public."""

import pytest
from rest_framework.permissions import IsAuthenticated

from config.api import ApiView
from tests.urls import all_routes

# Views anyone may open, each marked @login_not_required in its code. A new public
# view must be added here on purpose.
PUBLIC = {
    "home",  # the signed-out landing page
    "healthz",  # liveness
    "readyz",  # readiness
    # allauth: signing in, signing up, verifying, resetting, and social sign-in
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "mfa_authenticate",
    "socialaccount_login_cancelled",
    "socialaccount_signup",
    "github_login",
    "github_callback",
    "google_login",
    "google_callback",
    "google_login_by_token",
    # the admin's own sign-in, which hands over to allauth's
    "login",
    # the link in an invitation email: shows sign-in/sign-up, then comes back
    "invitation",
    # provider callbacks: verified by their signatures instead
    "receive",
    "receive-secret",
    # A2A: the agent card, and the endpoint that checks its own JWTs
    "agent-card",
    "endpoint",
    # MCP: the endpoint that checks its own bearer tokens (401 with a challenge)
    "mcp",
    "mcp-slash",
    # The OAuth server for /mcp: discovery, and allauth's endpoints, which check
    # clients and tokens themselves (authorize sends a signed-out user to sign in)
    "oauth-authorization-server",
    "oauth-protected-resource",
    "oauth-protected-resource-mcp",
    "oauth-authorize",
    "oauth-token",
    "oauth-revoke",
    "oauth-no-device-code",
    "configuration",
    "jwks",
    "authorization",
    "token",
    "revoke",
    "device_code",
    "userinfo",
    "logout",
    "client_registration",
}

ROUTES = all_routes()


def _is_api(route) -> bool:
    view_class = getattr(route.callback, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, ApiView)


def _is_public(route) -> bool:
    return not getattr(route.callback, "login_required", True)


def test_only_the_listed_views_are_public():
    public = {r.name or r.route for r in ROUTES if _is_public(r) and not _is_api(r)}
    assert public == PUBLIC


@pytest.mark.parametrize("route", [r for r in ROUTES if _is_api(r)], ids=str)
def test_api_views_require_authentication(route):
    permissions = route.callback.cls.permission_classes
    assert any(issubclass(p, IsAuthenticated) for p in permissions)


PROTECTED = [r for r in ROUTES if not _is_public(r)]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.route)
def test_anonymous_request_is_sent_to_sign_in(client, route):
    response = client.get(route.example_path)
    assert response.status_code == 302, route.example_path
    assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if _is_api(r)], ids=str)
def test_anonymous_api_call_gets_401_in_the_envelope(client, route):
    response = client.get(route.example_path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_admin_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
