"""A hub and two apps signing in through it, started once for these tests: `app`
talks to the hub directly (the browser journey), `proxied_app` through a proxy
that can swap the hub's ID token (the attacks)."""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import generate_totp_secret

from config.settings.base import generated_private_key
from tests.accounts.identity_hub.sites import (
    CALLBACK_PATH,
    Site,
    TokenSwapProxy,
    migrated_database,
    register_app,
)

HUB_NAME = "Acme Hub"
HUB_PASSWORD = "hub-password-4417"
APP_PASSWORD = "app-password-9023"


@pytest.fixture(scope="session")
def sso(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sso")
    template = migrated_database(folder)
    hub_key = generated_private_key()
    hub = Site("hub", folder, template, "localhost", IDP_OIDC_PRIVATE_KEY=hub_key)
    app = Site("app", folder, template, "127.0.0.1", AUTH_SKIP_EMAIL_VERIFICATION="0")
    proxied_app = Site("proxied-app", folder, template, "127.0.0.1")
    proxy = TokenSwapProxy(hub.url)

    client_id, secret = register_app(
        hub, "The App", app.url + CALLBACK_PATH, proxied_app.url + CALLBACK_PATH
    )
    other_id, _ = register_app(hub, "Another App", "https://other.example/cb/")
    alice_totp = generate_totp_secret()
    hub.add_user("alice@acme.test", HUB_PASSWORD, totp=alice_totp)
    hub.add_user("carol@acme.test", HUB_PASSWORD)
    hub.add_user("bob@acme.test", HUB_PASSWORD, verified=False)
    hub.add_user("dave@acme.test", HUB_PASSWORD)
    app.add_user("alice@acme.test", APP_PASSWORD)
    proxied_app.add_user("dave@acme.test", APP_PASSWORD, verified=False)

    hub_variables = {
        "IDENTITY_HUB_NAME": HUB_NAME,
        "IDENTITY_HUB_CLIENT_ID": client_id,
        "IDENTITY_HUB_CLIENT_SECRET": secret,
    }
    app.variables.update(hub_variables, IDENTITY_HUB_URL=hub.url)
    proxied_app.variables.update(hub_variables, IDENTITY_HUB_URL=proxy.url)
    proxy.start()
    started = []
    try:
        for site in (hub, app, proxied_app):
            started.append(site.start())
        yield SimpleNamespace(
            hub=hub,
            app=app,
            proxied_app=proxied_app,
            proxy=proxy,
            hub_key=hub_key,
            client_id=client_id,
            other_client_id=other_id,
            alice_totp=alice_totp,
        )
    finally:
        for site in started:
            site.stop()
        proxy.stop()
