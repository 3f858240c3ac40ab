"""Google and GitHub: from settings, PKCE on, buttons only when configured, and
linking to an existing account only by an address the provider verified."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.test import RequestFactory

from tests.processes import clean_env, run_python

pytestmark = pytest.mark.django_db

GOOGLE = {
    "APPS": [{"client_id": "google-client-id", "secret": "google-secret"}],
    "SCOPE": ["profile", "email"],
    "OAUTH_PKCE_ENABLED": True,
    "EMAIL_AUTHENTICATION": True,
}


def test_no_provider_buttons_when_none_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" not in page
    assert "/accounts/github/login/" not in page


def test_only_the_configured_providers_button_shows(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": GOOGLE}
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" in page
    assert "/accounts/github/login/" not in page


def test_the_redirect_to_google_carries_a_pkce_challenge(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": GOOGLE}
    response = client.post("/accounts/google/login/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://accounts.google.com/")
    assert "code_challenge=" in location
    assert "code_challenge_method=S256" in location


def _google_login(email: str, verified: bool) -> SocialLogin:
    from allauth.socialaccount.providers.google.provider import GoogleProvider

    request = RequestFactory().get("/")
    provider = get_adapter(request).get_provider(request, GoogleProvider.id)
    return provider.sociallogin_from_response(
        request,
        {"sub": "1234567890", "email": email, "email_verified": verified, "name": "G"},
    )


def test_a_verified_google_address_signs_in_to_the_existing_account(settings, user):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": GOOGLE}
    login = _google_login(user.email, verified=True)
    assert get_adapter().authenticate_by_email(login) == (user, user.email)


def test_an_unverified_google_address_does_not(settings, user):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": GOOGLE}
    login = _google_login(user.email, verified=False)
    assert get_adapter().authenticate_by_email(login) is None


def test_an_untrusted_provider_does_not(settings, user):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {**GOOGLE, "EMAIL_AUTHENTICATION": False}
    }
    login = _google_login(user.email, verified=True)
    assert get_adapter().authenticate_by_email(login) is None
    assert not SocialAccount.objects.exists()
    assert EmailAddress.objects.filter(user=user).count() == 1


@pytest.mark.slow
def test_providers_come_from_the_environment():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([sorted(s.SOCIALACCOUNT_PROVIDERS), "
        "s.SOCIALACCOUNT_PROVIDERS['github']['OAUTH_PKCE_ENABLED'], "
        "s.SECURE_CSP['form-action']]))"
    )
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        GITHUB_CLIENT_ID="id",
        GITHUB_CLIENT_SECRET="secret",
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout) == [
        ["github"],
        True,
        ["'self'", "https://github.com"],
    ]
