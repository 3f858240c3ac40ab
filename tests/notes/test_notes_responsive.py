"""The example's pages fit the screen at a phone's, a tablet's and a desktop's width
with a 200-character word in a note's title, a shared note's and a notebook's name,
and pass the accessibility check at each."""

import pytest

from notes import services as notes
from orgs import selectors
from orgs import services as orgs
from scoping.scopes import scope
from tests.browser.conftest import CHROMIUM, Watched, browser  # noqa: F401 - fixture
from tests.browser.test_responsive import WIDTHS, WORD, _overflows
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed"),
]


@pytest.fixture
def site(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


@pytest.mark.parametrize("width", WIDTHS)
def test_the_notes_pages_fit_the_screen(browser, site, width):  # noqa: F811
    user = UserFactory(email="wren@example.com")
    org = orgs.org_create(user=user, name="Wren's", switch=True)
    with scope(owner_email=user.email, org_id=org.pk):
        notebook = notes.notebook_create(name=WORD[:100])
        note = notes.note_create(
            title=WORD, body=f"<p>{WORD}</p>", notebook_id=notebook.pk
        )
        shared = notes.shared_note_create(
            member=selectors.membership_of(user, org),
            title=WORD,
            body=f"<p>{WORD}</p>",
            notebook_id=notebook.pk,
        )
    context = browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=WIDTHS[width]
    )
    watched = Watched(context.new_page(), f"notes-width-{width}")
    page = watched.page
    page.goto(site + "/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/")
    pages = [
        "/notes/",
        f"/notes/{note.pk}/",
        f"/notes/notebooks/{notebook.pk}/",
        f"/notes/shared/{shared.pk}/",
    ]
    wider = _overflows(watched, site, pages)
    assert wider == {}, f"pages wider than {width} px, by px: {wider}"
    watched.assert_clean()
