"""Cross-app sign-in in Chromium, between two deployments of this repository: Alice
made data on the app by signing in there directly; she then signs in through the
hub (password and TOTP there), comes back without a consent page, and is the same
user with the same data; her password still works; Bob, whose hub address is not
verified, is turned away with a page that says why; with the hub's variables
unset the app is as before, data and all, and setting them again signs nobody out.
No console error, no CSP violation."""

import re

import pytest
import requests

from tests.accounts.identity_hub.conftest import APP_PASSWORD, HUB_NAME, HUB_PASSWORD
from tests.accounts.identity_hub.sites import CALLBACK_PATH
from tests.accounts.mfa import current_code
from tests.browser.conftest import CHROMIUM, Watched, browser  # noqa: F401 - fixture

# Both sites use SQLite files of their own, whichever engine the suite runs on.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.sqlite,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed"),
]

HUB_VARIABLES = (
    "IDENTITY_HUB_URL",
    "IDENTITY_HUB_NAME",
    "IDENTITY_HUB_CLIENT_ID",
    "IDENTITY_HUB_CLIENT_SECRET",
)


def _sign_in_directly(watched: Watched, site_url: str, email: str, password: str):
    page = watched.page
    page.goto(f"{site_url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"^{re.escape(site_url)}/(?!accounts/login)"))


def _sign_out(watched: Watched, site_url: str):
    page = watched.page
    page.goto(f"{site_url}/accounts/logout/")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def _start_hub_sign_in(watched: Watched, app_url: str):
    page = watched.page
    page.goto(f"{app_url}/accounts/login/")
    page.click(f"text=Sign in with {HUB_NAME}")
    # allauth asks before leaving for another site (a POST, not a link).
    watched.shot("leaving-for-the-hub")
    page.click("main form button[type=submit]")


def test_alice_signs_in_through_the_hub_and_bob_is_turned_away(browser, sso):  # noqa: F811
    hub, app = sso.hub, sso.app
    alice = Watched(browser.new_context().new_page(), "sso-alice")
    page = alice.page

    # Before: Alice signs in to the app directly and makes something there.
    _sign_in_directly(alice, app.url, "alice@acme.test", APP_PASSWORD)
    page.goto(f"{app.url}/team/")
    page.fill("#id_create-name", "Made Directly Ltd")
    page.click("#create button[type=submit]")
    page.wait_for_load_state()
    assert app.rows("SELECT 1 FROM orgs_organization WHERE name = 'Made Directly Ltd'")
    _sign_out(alice, app.url)
    (alice_id,) = {row[0] for row in app.users("alice@acme.test")}
    alice_row = app.rows("SELECT email, name, password FROM accounts_user")

    # Through the hub: its sign-in page, then its second factor.
    _start_hub_sign_in(alice, app.url)
    page.wait_for_url(re.compile(rf"^{re.escape(hub.url)}/accounts/login/"))
    page.fill("#id_login", "alice@acme.test")
    page.fill("#id_password", HUB_PASSWORD)
    alice.shot("hub-sign-in")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("#id_code", current_code(sso.alice_totp, min_seconds_left=6))
    alice.shot("hub-second-factor")
    page.click("main form button[type=submit]")

    # No consent page for a registered first-party app: straight back, signed in.
    page.wait_for_url(re.compile(rf"^{re.escape(app.url)}/(?!accounts/)"))
    alice.shot("back-at-the-app")
    page.goto(f"{app.url}/team/")
    assert page.locator("text=Made Directly Ltd").count() >= 1
    assert {row[0] for row in app.users("alice@acme.test")} == {alice_id}
    # Signed in unchanged: same address, name and password hash.
    assert app.rows("SELECT email, name, password FROM accounts_user") == alice_row
    assert app.rows("SELECT user_id, uid FROM socialaccount_socialaccount") == [
        (alice_id, "alice@acme.test")
    ]
    signed_in = app.audit("auth.signed_in")[-1]
    assert signed_in["metadata"]["hub"] == hub.url
    assert hub.audit("sso.signed_in_to_client")[-1]["actor"] == "alice@acme.test"

    # Her password still signs her in, to the same account.
    _sign_out(alice, app.url)
    _sign_in_directly(alice, app.url, "alice@acme.test", APP_PASSWORD)
    page.goto(f"{app.url}/team/")
    assert page.locator("text=Made Directly Ltd").count() >= 1
    alice.assert_clean()

    # Bob's address at the hub is not verified: a page says so; no user here.
    bob = Watched(browser.new_context().new_page(), "sso-bob")
    _start_hub_sign_in(bob, app.url)
    bob.page.wait_for_url(re.compile(rf"^{re.escape(hub.url)}/accounts/login/"))
    bob.page.fill("#id_login", "bob@acme.test")
    bob.page.fill("#id_password", HUB_PASSWORD)
    bob.page.click("main form button[type=submit]")
    bob.page.wait_for_url(re.compile(rf"^{re.escape(app.url)}/"))
    assert bob.page.locator("h1", has_text="Verify your address first").count() == 1
    bob.shot("unverified-refused")
    assert app.users("bob@acme.test") == []
    assert app.audit("auth.sign_in_failed")[-1]["metadata"]["email"] == (
        "bob@acme.test"
    )
    # The refusal page answers 403, which Chromium reports; nothing else.
    assert bob.problems == [
        "console error: Failed to load resource: the server responded with a "
        "status of 403 (Forbidden)"
    ]


def test_unsetting_and_setting_the_hub_signs_nobody_out(browser, sso):  # noqa: F811
    """The app restarted without the hub's variables: no button, no URL, everyone
    signs in with a password to the same data as before. Restarted with them again:
    who was signed in still is."""
    app = sso.app
    users = app.rows("SELECT id, email, password FROM accounts_user ORDER BY id")
    alice = Watched(browser.new_context().new_page(), "sso-off")
    page = alice.page
    app.stop()
    app.start(**dict.fromkeys(HUB_VARIABLES))
    try:
        page.goto(f"{app.url}/accounts/login/")
        assert page.locator(f"text=Sign in with {HUB_NAME}").count() == 0
        for path in ("/accounts/identity_hub/login/", CALLBACK_PATH):
            assert requests.get(f"{app.url}{path}", timeout=10).status_code == 404
        _sign_in_directly(alice, app.url, "alice@acme.test", APP_PASSWORD)
        page.goto(f"{app.url}/team/")
        assert page.locator("text=Made Directly Ltd").count() >= 1
    finally:
        app.stop()
        app.start()
    # Turned on again: Alice's session from before still stands.
    page.goto(f"{app.url}/team/")
    assert page.url == f"{app.url}/team/"
    assert page.locator("text=Made Directly Ltd").count() >= 1
    alice.assert_clean()
    assert app.rows("SELECT id, email, password FROM accounts_user ORDER BY id") == (
        users
    )
