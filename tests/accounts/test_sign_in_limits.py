"""Failed sign-ins are limited per (client address, account), under a higher ceiling
per account: one attacker's guesses do not lock the real user out everywhere, and a
guess spread over many addresses still stops.

Real posts to allauth's sign-in view, from addresses set as the socket's
(REMOTE_ADDR: no proxy is trusted in the test settings), counted in the real cache.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"
ATTACKER, USER_HOME = "203.0.113.66", "198.51.100.7"


def _rate(action: str, per: str) -> int:
    """The number of failures ACCOUNT_RATE_LIMITS allows for `action` per `per`."""
    for rate in django_settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _, counted_by = rate.split("/")
        if counted_by == per:
            return int(amount)
    raise LookupError(action, per)


def _sign_in(client, email, password, address):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address
    )


def _refused(response) -> bool:
    return TOO_MANY in response.content.decode()


def test_an_attackers_failures_lock_out_only_the_attacker(user, password):
    attacker = Client()
    for _ in range(_rate("login_failed", "key")):
        assert not _refused(
            _sign_in(attacker, user.email, "wrong-password-1", ATTACKER)
        )
    # The attacker is refused for this account, even with the right password...
    assert _refused(_sign_in(attacker, user.email, password, ATTACKER))
    # ...while the real user, from their own address, signs in.
    real = Client()
    response = _sign_in(real, user.email, password, USER_HOME)
    assert response.status_code == 302
    assert real.get("/account/").status_code == 200


def test_a_limited_address_may_still_try_other_accounts_within_its_own_limit(
    user, other_user, password
):
    attacker = Client()
    for _ in range(_rate("login_failed", "key")):
        _sign_in(attacker, user.email, "wrong-password-1", ATTACKER)
    assert _refused(_sign_in(attacker, user.email, password, ATTACKER))
    assert _sign_in(attacker, other_user.email, password, ATTACKER).status_code == 302


def test_a_guess_spread_over_many_addresses_stops_at_the_account_ceiling(
    user, password
):
    ceiling = _rate("login_failed_account", "key")
    botnet = Client()
    for n in range(ceiling):
        response = _sign_in(botnet, user.email, "wrong-password-1", f"10.9.{n}.1")
        assert not _refused(response), n  # each address failed once: not limited
    # Every address, a fresh one with the right password too, is refused now.
    assert _refused(_sign_in(Client(), user.email, password, "10.200.0.1"))


def test_successful_sign_ins_do_not_count_towards_the_ceiling(user, password, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "2/h/key",
    }
    browser = Client()
    for n in range(4):
        assert _sign_in(browser, user.email, password, f"10.8.{n}.1").status_code == 302
        browser.logout()
    assert not _refused(_sign_in(browser, user.email, "wrong-password-1", ATTACKER))


def test_one_address_is_limited_across_accounts(user, password):
    per_address = _rate("login_failed", "ip")
    attacker = Client()
    for n in range(per_address):
        _sign_in(attacker, f"nobody{n}@example.com", "wrong-password-1", ATTACKER)
    assert _refused(_sign_in(attacker, user.email, password, ATTACKER))


def test_one_attacker_alone_cannot_reach_the_account_ceiling():
    """Per address and account, the most failures an hour stay under the ceiling."""
    amount, period, per = (
        django_settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")
    )
    assert per == "key"
    minutes = int(period.removesuffix("m"))
    per_hour = int(amount) * (60 // minutes)
    ceiling, hour, _ = django_settings.ACCOUNT_RATE_LIMITS[
        "login_failed_account"
    ].split("/")
    assert hour == "h"
    assert per_hour < int(ceiling)
