"""Sign-in, sign-up and reset are rate limited, counted in the real cache."""

import pytest

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(
    client, user, password
):
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": "wrong-password-1"}
        )
        assert TOO_MANY not in response.content.decode()
    blocked = client.post(
        "/accounts/login/", {"login": user.email, "password": password}
    )
    assert blocked.status_code in (200, 429)
    assert TOO_MANY in blocked.content.decode()
    assert client.get("/account/").status_code == 302  # still signed out


def test_sign_up_is_limited_per_ip(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    statuses = [
        client.post(
            "/accounts/signup/",
            {"email": f"n{i}@example.com", "password1": "a-long-password-77"},
        ).status_code
        for i in range(3)
    ]
    assert statuses[-1] == 429


def test_password_reset_is_limited_per_address(client, user):
    statuses = [
        client.post("/accounts/password/reset/", {"email": user.email}).status_code
        for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_client_ip_comes_from_the_trusted_proxy_hop(rf, settings):
    from accounts.services import client_ip

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = rf.get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1"
    )
    # One proxy of ours appended the client's address; what the client wrote
    # before it (6.6.6.6) is not trusted.
    assert client_ip(request) == "203.0.113.9"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
