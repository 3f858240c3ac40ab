"""allauth's pages, in the site's layout: no console error, no CSP violation, no
serious accessibility violation, and usable with the keyboard alone."""

import pytest

from tests.browser.conftest import Watched
from tests.browser.test_journey import _accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SIGNED_OUT = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/accounts/3rdparty/",
    "/account/",
    "/team/",
]


@pytest.fixture
def site(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def test_signed_out_pages(browser, site):
    watched = Watched(browser.new_context().new_page(), "signed-out")
    for path in SIGNED_OUT:
        watched.page.goto(site + path)
        watched.shot(path.strip("/").replace("/", "-"))
        _accessible(watched)
    watched.assert_clean()


def test_signed_in_pages(browser, site):
    user = UserFactory(email="kim@example.com", name="Kim")
    watched = Watched(browser.new_context().new_page(), "signed-in")
    page = watched.page
    page.goto(site + "/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/")
    for path in SIGNED_IN:
        page.goto(site + path)
        watched.shot(path.strip("/").replace("/", "-"))
        _accessible(watched)
    watched.assert_clean()


def test_signing_in_with_the_keyboard_alone(browser, site):
    user = UserFactory(email="kay@example.com")
    watched = Watched(browser.new_context().new_page(), "keyboard")
    page = watched.page
    page.goto(site + "/accounts/login/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.focus("#id_login")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/")
    assert "Hello" in page.inner_text("main")
    watched.assert_clean()


def test_mfa_setup_and_challenge_pages(browser, site):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.accounts.mfa import current_code

    user = UserFactory(email="mo@example.com")
    watched = Watched(browser.new_context().new_page(), "mfa")
    page = watched.page

    def sign_in():
        page.goto(site + "/accounts/login/")
        page.fill("#id_login", user.email)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")

    sign_in()
    page.goto(site + "/accounts/2fa/totp/activate/")  # asks for the password first
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/accounts/2fa/totp/activate/")
    watched.shot("totp-activate")
    _accessible(watched)

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    page.context.clear_cookies()
    sign_in()
    page.wait_for_url(site + "/accounts/2fa/authenticate/")
    watched.shot("mfa-challenge")
    _accessible(watched)
    page.fill("#id_code", current_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/")
    watched.assert_clean()
