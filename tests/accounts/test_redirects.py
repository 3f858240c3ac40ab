"""After sign-in and sign-out, `next` is followed only to paths on this site."""

import pytest

from accounts.adapter import is_same_origin_path

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.com",
    "\\\\evil.com",
    "/\\evil.com",
    "/\\/evil.com",
    "https://good@evil.com",
    "https://evil.com/",
    "http://testserver.evil.com/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " //evil.com",
    "/%0d%0aSet-Cookie:x=1",
    "/ok\r\nSet-Cookie: x=1",
    "/%2f%2fevil.com",
    "///evil.com",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_with_a_hostile_next_lands_on_home(client, user, password, target):
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": password, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_out_with_a_hostile_next_lands_on_home(client, user, target):
    client.force_login(user)
    response = client.post("/accounts/logout/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_path_on_this_site_is_followed(client, user, password):
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": password, "next": "/account/?tab=tokens"},
    )
    assert response["Location"] == "/account/?tab=tokens"


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_not_same_origin_paths(target):
    assert not is_same_origin_path(target)
