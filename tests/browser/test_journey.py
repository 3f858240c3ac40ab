"""The whole journey in Chromium: sign up, verify, a default org, an invitation
accepted by a second person, switching orgs, re-authenticating to make a token and
revoking it, signing out. No console error, no CSP violation, no serious
accessibility violation; a screenshot of every step in test-artifacts/. (The example
app's page has its journey in tests/notes/.)"""

import re

import pytest
from django.core import mail

from tests.browser.conftest import Watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-browser-password-42"


@pytest.fixture
def site(live_server, settings, celery_eager, mandatory_verification):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def _accessible(watched: Watched) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(watched.page)
    serious = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], watched.page.url


def _code_for(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.M)[1]


def _sign_up(
    watched: Watched, site: str, email: str, name: str, path="/accounts/signup/"
):
    page = watched.page
    if path:
        page.goto(site + path)
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    watched.shot("sign-up")
    _accessible(watched)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    page.fill("#id_code", _code_for(email))
    watched.shot("verify-code")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_the_journey(browser, site):
    alice = Watched(browser.new_context().new_page(), "alice")
    page = alice.page

    # Sign up, verify with the emailed code, land in a default organization.
    _sign_up(alice, site, "alice@example.com", "Alice")
    page.goto(site + "/")
    assert "Alice's workspace" in page.inner_text("main")
    alice.shot("dashboard")
    _accessible(alice)

    # Invite a second address.
    page.goto(site + "/team/")
    page.fill("#id_invite-email", "bob@example.com")
    page.click("text=Send invitation")
    assert "An invitation is on its way" in page.inner_text("body")
    alice.shot("invited")
    _accessible(alice)
    link = re.search(r"(/invitations/inv_[A-Za-z0-9_-]+/)", mail.outbox[-1].body)[1]

    # Bob signs up from the invitation link and accepts.
    bob = Watched(browser.new_context().new_page(), "bob")
    bob.page.goto(site + link)
    assert "Join Alice's workspace" in bob.page.inner_text("main")
    bob.shot("invitation")
    _accessible(bob)
    bob.page.click("text=sign up")
    _sign_up(bob, site, "bob@example.com", "Bob", path=None)
    bob.page.goto(site + link)
    bob.page.click("button:has-text('Accept')")
    assert "You joined Alice's workspace" in bob.page.inner_text("body")
    bob.shot("joined")

    # Bob makes an org of his own, then switches back with the header switcher.
    bob.page.goto(site + "/team/")
    bob.page.fill("#id_create-name", "Bob's side project")
    bob.page.click("text=Create")
    bob.page.select_option("#org-switcher", label="Alice's workspace")
    bob.page.click("text=Switch")
    assert "You are now working in Alice's workspace" in bob.page.inner_text("body")
    bob.shot("switched")

    # Alice creates an API token, sees it once, and revokes it.
    page.goto(site + "/account/")
    page.fill("#id_token-name", "laptop")
    page.click("text=Create token")
    # Making a token asks for the password again; the held-back form then goes on.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    assert re.search(r"pat_[a-z0-9]{12}_", page.inner_text("main"))
    alice.shot("token-created")
    page.click("button:has-text('Revoke')")  # confirm() is accepted
    assert "is revoked" in page.inner_text("body")
    alice.shot("token-revoked")
    _accessible(alice)

    # Sign out.
    page.click("text=Sign out")
    page.click("main form button[type=submit]")
    page.goto(site + "/team/")
    assert "/accounts/login/" in page.url
    alice.shot("signed-out")

    alice.assert_clean()
    bob.assert_clean()
