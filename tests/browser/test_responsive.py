"""No page is wider than the screen, at a phone's, a tablet's and a desktop's width,
signed in and out, even with 200-character words in what users name, and each page
passes the accessibility check at each width (the tablet's in the dark scheme); on
a phone the header's menu folds behind a button. Screenshots of each width go to
test-artifacts/browser/."""

import pytest

from accounts.services import api_token_create
from orgs import services as orgs
from tests.browser.conftest import Watched
from tests.browser.test_journey import _accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

# Each width, and the colour scheme it is seen in.
WIDTHS = {375: "light", 768: "dark", 1280: "light"}
WORD = "W" * 200  # no break opportunity anywhere in it
SIGNED_OUT = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN = ["/", "/team/", "/account/", "/accounts/email/", "/accounts/sessions/"]
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def site(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


@pytest.fixture
def wordy():
    """A user whose address, name, org and token names are long single words."""
    user = UserFactory(email=f"{'w' * 60}@example.com", name=WORD[:150])
    org = orgs.org_create(user=user, name=WORD[:100], switch=True)
    orgs.invitation_create(org=org, actor=user, email=f"{'i' * 60}@example.com")
    api_token_create(user=user, name=WORD[:100])
    return user


def _overflows(watched, site, paths) -> dict[str, int]:
    wider = {}
    for path in paths:
        watched.page.goto(site + path)
        watched.shot(path.strip("/").replace("/", "-") or "home")
        if (extra := watched.page.evaluate(OVERFLOW)) > 0:
            wider[path] = extra
        _accessible(watched)
    return wider


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(browser, site, wordy, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=WIDTHS[width]
    )
    watched = Watched(context.new_page(), f"width-{width}")
    wider = _overflows(watched, site, SIGNED_OUT)
    page = watched.page
    page.goto(site + "/accounts/login/")
    if width < 640:
        page.click(".menu-button")  # nothing in the form needs it; just proves it opens
    page.fill("#id_login", wordy.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/")
    wider |= _overflows(watched, site, SIGNED_IN)
    assert wider == {}, f"pages wider than {width} px, by px: {wider}"
    watched.assert_clean()


def test_on_a_phone_the_menu_folds_behind_a_button(browser, site, wordy):
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    page.goto(site + "/accounts/login/")
    page.fill("#id_login", wordy.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/")
    team = page.locator("#site-menu").get_by_role("link", name="Team")
    button = page.locator(".menu-button")
    assert button.is_visible()
    assert not team.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert team.is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    wide = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    wide.goto(site + "/accounts/login/")
    assert not wide.locator(".menu-button").is_visible()
    assert wide.locator("#site-menu").get_by_role("link", name="Sign up").is_visible()
