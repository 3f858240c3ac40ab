"""Helpers that use allauth's TOTP as an authenticator app would."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)

from tests.factories import PASSWORD


def current_code(secret: str, offset: int = 0, *, min_seconds_left: float = 2) -> str:
    """The code an authenticator app shows now, from a window with at least
    `min_seconds_left` to run (waiting for the next one if need be): allauth takes
    the current window only, so a code made at a window's last second would fail
    when checked a moment later (a browser's round trips take seconds)."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if offset == 0 and left < min_seconds_left:
        time.sleep(left + 0.1)
    counter = int(time.time()) // period + offset
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client, user, password: str = PASSWORD):
    """Sign in through the form, so allauth records a fresh authentication."""
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": password}
    )
    assert response.status_code == 302, response.content
    return response


def reauthenticate(client, password: str = PASSWORD) -> None:
    """Confirm the password again, as allauth asks before changing MFA."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content


def activate_totp(client) -> tuple[str, str]:
    """Set up TOTP for the signed-in user; return the secret and the code used."""
    reauthenticate(client)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    code = current_code(secret)
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302, response.content
    return secret, code


def age_authentications(client, seconds: float) -> None:
    """Make every sign-in and re-authentication this session recorded `seconds`
    older, as if the session had sat that long (allauth keeps when, in the session)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - seconds}
        for record in session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    ]
    session.save()
