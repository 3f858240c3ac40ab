"""The example's page in Chromium: a private note and a shared notebook; a second
member of the organization sees the notebook but not the note. No console error, no
CSP violation, no serious accessibility violation."""

import pytest

from orgs import services as orgs
from orgs.models import Role
from tests.browser.conftest import CHROMIUM, Watched, browser  # noqa: F401 - fixture
from tests.browser.test_journey import _accessible
from tests.factories import PASSWORD, UserFactory, member_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    # tests/browser/conftest.py skips loudly when the whole suite runs; this is for
    # running tests/notes/ alone.
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed"),
]


@pytest.fixture
def site(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def _signed_in(browser, site, user, name):  # noqa: F811 - the fixture's value
    watched = Watched(browser.new_context().new_page(), name)
    page = watched.page
    page.goto(site + "/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/")
    return watched


def test_a_private_note_and_a_shared_notebook(browser, site):  # noqa: F811
    alice = UserFactory(email="alice@example.com", name="Alice")
    acme = orgs.org_create(user=alice, name="Acme")
    bob = member_of(acme, email="bob@example.com", role=Role.MEMBER)

    watched = _signed_in(browser, site, alice, "notes-alice")
    page = watched.page
    page.click("nav >> text=Notes")
    page.fill("#id_title", "Alice's private plan")
    page.click("text=Save note")
    page.fill("#id_name", "Shared book")
    page.click("text=Create notebook")
    assert "Alice's private plan" in page.inner_text("main")
    watched.shot("notes")
    _accessible(watched)

    other = _signed_in(browser, site, bob, "notes-bob")
    other.page.goto(site + "/notes/")
    text = other.page.inner_text("main")
    assert "Shared book" in text
    assert "private plan" not in text
    other.shot("bob-notes")

    watched.assert_clean()
    other.assert_clean()
