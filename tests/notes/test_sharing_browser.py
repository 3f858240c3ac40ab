"""Sharing in Chromium: Alice writes a private note and a shared one in a notebook,
invites Bob; Bob signs up from the console link, accepts, opens the notebook and
reads the shared note, and never sees the private one. No console error, no CSP
violation, no serious accessibility violation; screenshots in test-artifacts/."""

import re

import pytest

from config.settings.base import mailer_from_url
from orgs import services as orgs
from tests.browser.conftest import CHROMIUM, Watched, browser  # noqa: F401 - fixture
from tests.browser.test_invitation_journey import _sign_up
from tests.browser.test_journey import _accessible
from tests.factories import UserFactory
from tests.notes.test_notes_browser import _signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed"),
]

PRIVATE = "Alice's private plan"
SHARED = "Launch checklist"


@pytest.fixture
def site(live_server, settings, celery_eager):
    """The local defaults: sign-up skips verification; email goes to the console."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.MAILERS = {"default": mailer_from_url("consolemail://")}
    return live_server.url


def _alice_writes_and_invites(browser, site, capsys) -> tuple[Watched, str]:  # noqa: F811
    """Alice's page, and the invitation link the console printed for Bob."""
    alice = UserFactory(email="alice@example.com", name="Alice")
    orgs.org_create(user=alice, name="Acme", switch=True)
    watched = _signed_in(browser, site, alice, "share-alice")
    page = watched.page

    page.click("nav >> text=Notes")
    page.fill("#id_name", "Plans")
    page.click("text=Create notebook")
    page.fill("#id_title", PRIVATE)
    page.fill("#id_body", "Only for me")
    page.click("text=Save note")
    assert "only you can see it" in page.inner_text("body")
    page.fill("#id_title", SHARED)
    page.fill("#id_body", "Ship on Friday")
    page.select_option("#id_notebook", label="Plans")
    page.check("input[name=visibility][value=shared]")
    page.click("text=Save note")
    assert "Shared with Acme in Plans" in page.inner_text("main")
    watched.shot("shared")
    _accessible(watched)

    page.goto(site + "/team/")
    capsys.readouterr()  # only what the invitation prints, below
    page.fill("#id_invite-email", "bob@example.com")
    page.click("text=Send invitation")
    assert "An invitation is on its way" in page.inner_text("body")
    printed = capsys.readouterr().out
    links = re.findall(r"^http://\S+(/invitations/inv_[A-Za-z0-9_-]+/)$", printed, re.M)
    assert len(links) == 1, printed
    return watched, links[0]


def test_bob_joins_and_reads_the_shared_note_not_the_private_one(
    browser,  # noqa: F811
    site,
    capsys,
):
    alice, link = _alice_writes_and_invites(browser, site, capsys)

    bob = Watched(browser.new_context().new_page(), "share-bob")
    page = bob.page
    page.goto(site + link)
    page.click("main >> text=sign up")
    _sign_up(bob, "bob@example.com", "Bob")
    page.wait_for_url(re.compile(re.escape(link) + "$"))
    page.click("main button:has-text('Accept')")
    page.wait_for_load_state()
    assert "You joined Acme" in page.inner_text("body")

    page.click("nav >> text=Notes")
    listed = page.inner_text("main")
    assert "Notebooks of Acme" in listed
    assert PRIVATE not in listed
    assert SHARED not in listed  # his own list: shared notes live in their notebook
    page.get_by_role("link", name="Plans").click()
    notebook = page.inner_text("main")
    assert SHARED in notebook
    assert "by Alice" in notebook
    assert PRIVATE not in notebook
    bob.shot("notebook")
    _accessible(bob)

    page.get_by_role("link", name=SHARED).click()
    note = page.inner_text("main")
    assert "Ship on Friday" in note
    assert "Shared with Acme in Plans" in note
    assert "Written by Alice" in note
    assert "Make private" not in note  # not his to take back
    assert PRIVATE not in page.content()
    bob.shot("shared-note")
    _accessible(bob)

    alice.assert_clean()
    bob.assert_clean()
