"""The first hour in the default local settings (verification skipped), in Chromium:
Alice invites Bob from /team/; Bob's link is read from the console email output;
Bob signs up from the link, accepts, and is working in Alice's org, with no
workspace of his own. No console error, no CSP violation; screenshots of each step
in test-artifacts/."""

import re

import pytest

from config.settings.base import mailer_from_url
from tests.browser.conftest import Watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-browser-password-42"


@pytest.fixture
def site(live_server, settings, celery_eager):
    """The local defaults: sign-up skips verification; email goes to the console."""
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "none"
    settings.ALLOWED_HOSTS = ["*"]
    settings.MAILERS = {"default": mailer_from_url("consolemail://")}
    return live_server.url


def _sign_up(watched: Watched, email: str, name: str) -> None:
    page = watched.page
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    watched.shot("sign-up")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_invited_from_the_console_link_bob_joins_alices_org(browser, site, capsys):
    alice = Watched(browser.new_context().new_page(), "invite-alice")
    alice.page.goto(site + "/accounts/signup/")
    _sign_up(alice, "alice@example.com", "Alice")
    alice.page.goto(site + "/team/")
    assert "Alice's workspace" in alice.page.inner_text("header")
    capsys.readouterr()  # only what the invitation prints, below
    alice.page.fill("#id_invite-email", "bob@example.com")
    alice.page.click("text=Send invitation")
    assert "An invitation is on its way" in alice.page.inner_text("body")
    alice.shot("invited")

    # The link as a person copies it from the terminal: one whole line.
    printed = capsys.readouterr().out
    lines = re.findall(r"^http://\S+(/invitations/inv_[A-Za-z0-9_-]+/)$", printed, re.M)
    assert len(lines) == 1, printed
    link = lines[0]

    bob = Watched(browser.new_context().new_page(), "invite-bob")
    page = bob.page
    page.goto(site + link)
    assert "Join Alice's workspace" in page.inner_text("main")
    page.click("main >> text=sign up")
    _sign_up(bob, "bob@example.com", "Bob")
    # Back on the link's page, signed in: the link itself will verify the address.
    page.wait_for_url(re.compile(re.escape(link) + "$"))
    assert "Accepting from this link verifies bob@example.com" in page.inner_text(
        "main"
    )
    bob.shot("invitation")
    page.click("main button:has-text('Accept')")
    page.wait_for_load_state()
    assert "You joined Alice's workspace" in page.inner_text("body")
    bob.shot("joined")

    # Working in Alice's org, which is his only one: no workspace was made for him.
    assert "Alice's workspace" in page.inner_text("main")
    options = page.locator("#org-switcher option").all_inner_texts()
    assert options == ["Alice's workspace"]
    page.goto(site + "/team/")
    team = page.inner_text("main")
    assert "alice@example.com" in team
    assert "bob@example.com" in team
    bob.shot("team")

    alice.assert_clean()
    bob.assert_clean()
