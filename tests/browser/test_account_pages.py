"""Signing in with the keyboard alone. (Every allauth page at each width, in both
colour schemes: test_allauth_responsive.py.)"""

import pytest

from tests.browser.conftest import Watched
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


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
