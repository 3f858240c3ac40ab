"""allauth's pages render through the site's layouts and element templates
(templates/allauth/): in the site's header, in the entrance card or beside the
account sub-navigation, with the design system's buttons and cards, and none of
allauth's bare markup (its own menu, class-less buttons, errors above labels)."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.mfa import activate_totp, reauthenticate, sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ENTRANCE = '<main id="main" class="entrance">'
MANAGE = '<main id="main" class="manage">'
SUBNAV = '<nav class="subnav" aria-label="Account pages">'


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _assert_ours(page: str, layout: str) -> str:
    assert 'class="site-header"' in page
    assert layout in page
    assert "Menu:</strong>" not in page  # allauth's own base layout
    main = _main(page)
    assert 'class="button' in main  # every one of these pages has a button
    # allauth's button element has no class; ours always carries `button`.
    buttons = re.findall(r"<button\b[^>]*>", main)
    assert all('class="button' in tag for tag in buttons), buttons
    return main


def _get(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"],
)
def test_signed_out_pages_are_entrance_cards(path):
    main = _assert_ours(_get(Client(), path), ENTRANCE)
    assert '<div class="card">' in main
    assert SUBNAV not in main


def test_the_verification_code_page_is_an_entrance_card(mandatory_verification):
    client = Client()
    client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": PASSWORD, "name": "New"},
    )
    assert mail.outbox
    main = _assert_ours(_get(client, "/accounts/confirm-email/"), ENTRANCE)
    # Confirm is primary; Cancel (allauth's "outline") is secondary.
    assert re.search(r'class="button" type="submit">\s*Confirm', main)
    assert re.search(r'class="button secondary" form="logout-from-stage"', main)


@pytest.fixture
def signed_in():
    user = UserFactory(email="kim@example.com")
    client = Client()
    sign_in(client, user)
    return client


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/accounts/email/", "Email addresses"),
        ("/accounts/password/change/", "Password"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/sessions/", "Sessions"),
    ],
)
def test_settings_pages_sit_beside_the_account_navigation(signed_in, path, current):
    main = _assert_ours(_get(signed_in, path), MANAGE)
    assert SUBNAV in main
    assert re.search(rf'aria-current="page">{current}</a>', main)
    assert main.count('aria-current="page"') == 1


def test_the_email_page_uses_the_button_variants_and_badges(signed_in):
    main = _main(_get(signed_in, "/accounts/email/"))
    assert 'class="button" name="action_primary" type="submit"' in main
    assert 'class="button secondary" name="action_send" type="submit"' in main
    assert 'class="button danger" name="action_remove" type="submit"' in main
    assert '<span class="badge success">' in main  # "Verified"
    assert '<div class="field field-check">' in main  # the address's radio


def test_the_two_factor_page_is_cards(signed_in):
    main = _main(_get(signed_in, "/accounts/2fa/"))
    assert main.count('<section class="card">') == 2  # authenticator app, codes


def test_totp_activation_and_recovery_codes(signed_in):
    reauthenticate(signed_in)
    main = _assert_ours(_get(signed_in, "/accounts/2fa/totp/activate/"), MANAGE)
    assert 'class="qr"' in main  # the QR code on a light ground
    assert re.search(r'aria-current="page">Two-factor authentication</a>', main)
    activate_totp(signed_in)
    _assert_ours(_get(signed_in, "/accounts/2fa/recovery-codes/"), MANAGE)


def test_reauthentication_is_an_entrance_card(signed_in):
    _assert_ours(_get(signed_in, "/accounts/reauthenticate/"), ENTRANCE)


def test_the_site_account_page_shares_the_navigation(signed_in):
    main = _main(_get(signed_in, "/account/"))
    assert SUBNAV in main
    assert re.search(r'aria-current="page">Account</a>', main)


def test_the_navigation_lists_only_pages_that_exist(signed_in, settings):
    main = _main(_get(signed_in, "/account/"))
    for label in ("Email addresses", "Password", "Sessions"):
        assert f">{label}</a>" in main
    # No social provider is configured: nothing to connect, no link to it.
    assert settings.SOCIALACCOUNT_PROVIDERS == {}
    assert "/accounts/3rdparty/" not in main
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APPS": [{"client_id": "id", "secret": "s"}]}
    }
    assert ">Connected accounts</a>" in _main(_get(signed_in, "/account/"))


def test_an_error_stays_under_its_field_in_our_layout():
    page = Client().post("/accounts/login/", {"login": "", "password": ""})
    main = _assert_ours(page.content.decode(), ENTRANCE)
    field = main[main.index('for="id_login"') :]
    assert field.index('id="id_login"') < field.index('class="errorlist')
