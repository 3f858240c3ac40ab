"""Cross-app sign-in is off unless IDENTITY_HUB_URL is set: then no provider, URL,
button or other variable of it exists; set, allauth's provider is configured from
the variables, with PKCE, and the hub's origin may receive the sign-in form."""

import json

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from tests.processes import clean_env, run_python

SETTINGS_OF_NOTE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "hub = s.SOCIALACCOUNT_PROVIDERS.get('identity_hub'); "
    "print(json.dumps({'installed': 'accounts.identity_hub' in s.INSTALLED_APPS, "
    "'hub': hub, 'form_action': s.SECURE_CSP['form-action']}))"
)


def test_unset_there_is_no_provider_and_no_url():
    assert "accounts.identity_hub" not in settings.INSTALLED_APPS
    assert "identity_hub" not in settings.SOCIALACCOUNT_PROVIDERS
    with pytest.raises(NoReverseMatch):
        reverse("identity_hub_login")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_unset_the_pages_offer_no_hub(client, path):
    page = client.get(path).content.decode()
    assert "Sign in with" not in page
    assert "identity_hub" not in page


@pytest.mark.django_db
def test_unset_its_urls_do_not_exist(client):
    assert client.get("/accounts/identity_hub/login/").status_code == 404
    assert client.get("/accounts/identity_hub/login/callback/").status_code == 404


def _settings_with(**variables) -> dict:
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.test", **variables)
    result = run_python(SETTINGS_OF_NOTE, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_the_id_and_secret_alone_turn_nothing_on():
    values = _settings_with(IDENTITY_HUB_CLIENT_ID="id", IDENTITY_HUB_CLIENT_SECRET="s")
    assert values == {"installed": False, "hub": None, "form_action": ["'self'"]}


@pytest.mark.slow
def test_set_the_provider_comes_from_the_variables():
    values = _settings_with(
        IDENTITY_HUB_URL="https://hub.example/",
        IDENTITY_HUB_CLIENT_ID="the-id",
        IDENTITY_HUB_CLIENT_SECRET="the-secret",
    )
    assert values["installed"] is True
    (app,) = values["hub"]["APPS"]
    assert app["name"] == "hub.example"
    assert (app["client_id"], app["secret"]) == ("the-id", "the-secret")
    assert app["settings"]["server_url"] == "https://hub.example"
    assert values["hub"]["OAUTH_PKCE_ENABLED"] is True
    assert values["hub"]["SCOPE"] == ["openid", "email", "profile"]
    assert values["form_action"] == ["'self'", "https://hub.example"]


@pytest.mark.slow
def test_set_without_its_client_the_app_does_not_start():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        IDENTITY_HUB_URL="https://hub.example",
    )
    result = run_python(SETTINGS_OF_NOTE, env)
    assert result.returncode != 0
    assert "IDENTITY_HUB_CLIENT_ID" in result.stderr
