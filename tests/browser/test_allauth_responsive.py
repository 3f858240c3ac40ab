"""Every allauth page a person reaches, signed out and signed in (two-factor set up,
then its challenge at sign-in), at a phone's, a tablet's and a desktop's width: no
wider than the screen, clean in the accessibility check in the light and the dark
scheme, no console error or CSP violation. Screenshots of both schemes go to
test-artifacts/browser/."""

import re

import pytest

from tests.accounts.mfa import current_code
from tests.browser.conftest import Watched
from tests.browser.test_journey import _accessible, _code_for
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

WIDTHS = [375, 768, 1280]
WORD = "W" * 80  # a name with no break opportunity (its workspace: 100 at most)
SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
]
SIGNED_IN = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/accounts/3rdparty/",
    "/accounts/reauthenticate/",
]
# Pages that ask for the password again first, visited after it was given.
REAUTHENTICATED = ["/accounts/2fa/totp/activate/", "/account/delete/"]
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def site(live_server, settings, celery_eager, mandatory_verification):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def _check(watched: Watched, label: str, wider: dict) -> None:
    """The page as it stands: its width, and axe in both schemes, with a shot each."""
    page = watched.page
    if (extra := page.evaluate(OVERFLOW)) > 0:
        wider[label] = extra
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        watched.shot(f"{label}-{scheme}")
        _accessible(watched)
    page.emulate_media(color_scheme="light")


def _visit(watched: Watched, site: str, path: str, wider: dict) -> None:
    watched.page.goto(site + path)
    assert watched.page.url == site + path, f"{path} went to {watched.page.url}"
    _check(watched, path.strip("/").replace("/", "-"), wider)


@pytest.mark.parametrize("width", WIDTHS)
def test_allauth_pages_fit_and_pass_axe_in_both_schemes(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    watched = Watched(context.new_page(), f"allauth-{width}")
    page = watched.page
    wider: dict[str, int] = {}
    for path in SIGNED_OUT:
        _visit(watched, site, path, wider)

    # Sign up with a long address and name: the code page, then in.
    email = f"{'v' * 60}{width}@example.com"
    page.goto(site + "/accounts/signup/")
    page.fill("#id_name", WORD)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    _check(watched, "verification-code", wider)
    page.fill("#id_code", _code_for(email))
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/")

    for path in SIGNED_IN:
        _visit(watched, site, path, wider)
    page.goto(site + REAUTHENTICATED[0])
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + REAUTHENTICATED[0])
    for path in REAUTHENTICATED:
        _visit(watched, site, path, wider)

    # Activate the authenticator app: its recovery codes, then the challenge at sign-in.
    page.goto(site + "/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", current_code(secret, min_seconds_left=6))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    _visit(watched, site, "/accounts/2fa/", wider)
    _visit(watched, site, "/accounts/2fa/recovery-codes/", wider)
    page.context.clear_cookies()
    page.goto(site + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/accounts/2fa/authenticate/")
    _check(watched, "mfa-challenge", wider)

    assert wider == {}, f"pages wider than {width} px, by px: {wider}"
    watched.assert_clean()
