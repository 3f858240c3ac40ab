"""Failed bearer credentials are limited per client address: 401, then 429.

Counted in the real cache, through real API calls. A correct credential still works
from a limited address (every credential is unguessable; see accounts.auth_failures).
"""

import pytest

from accounts import services
from accounts.app_settings import app_settings
from actions.throttling import parse_rate

pytestmark = pytest.mark.django_db

ATTACKER, NEIGHBOUR = "203.0.113.66", "198.51.100.7"
STATIC = "static-token-for-a-build-server-0123456789"
WRONG_PAT = "pat_aaaaaaaaaaaa_" + "A" * 43


def _me(client, token, address):
    return client.get(
        "/api/me/", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=address
    )


def _allowed() -> int:
    """How many failures one address may send in a window, by the default rate."""
    return parse_rate(app_settings.API_AUTH_FAILURE_RATE).calls


@pytest.fixture
def token(user):
    _, secret = services.api_token_create(user=user, name="laptop")
    return secret


def _assert_throttled(response):
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1


def test_wrong_personal_tokens_from_one_address_are_answered_429(client, token):
    for _ in range(_allowed()):
        assert _me(client, WRONG_PAT, ATTACKER).status_code == 401
    _assert_throttled(_me(client, WRONG_PAT, ATTACKER))
    _assert_throttled(_me(client, "pat_bbbbbbbbbbbb_" + "B" * 43, ATTACKER))


def test_the_limit_is_per_address(client, token):
    for _ in range(_allowed() + 1):
        _me(client, WRONG_PAT, ATTACKER)
    response = _me(client, WRONG_PAT, NEIGHBOUR)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_correct_token_still_works_from_a_limited_address(client, user, token):
    for _ in range(_allowed() + 1):
        _me(client, WRONG_PAT, ATTACKER)
    response = _me(client, token, ATTACKER)
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_successful_calls_are_not_counted(client, token):
    for _ in range(_allowed() + 5):
        assert _me(client, token, ATTACKER).status_code == 200
    assert _me(client, WRONG_PAT, ATTACKER).status_code == 401


def test_wrong_static_tokens_count_too_and_share_the_budget(
    client, settings, user, token
):
    settings.ACCOUNTS_ACCESS_TOKENS = {STATIC: user.email}
    half = _allowed() // 2
    for _ in range(half):
        assert _me(client, WRONG_PAT, ATTACKER).status_code == 401
    for _ in range(_allowed() - half):
        assert _me(client, STATIC + "x", ATTACKER).status_code == 401
    _assert_throttled(_me(client, STATIC + "y", ATTACKER))
    assert _me(client, STATIC, ATTACKER).status_code == 200


def test_actions_answer_429_in_the_envelope_too(client, token):
    headers = {"Authorization": f"Bearer {WRONG_PAT}"}
    for _ in range(_allowed()):
        client.post(
            "/api/actions/create-memo/",
            {},
            content_type="application/json",
            headers=headers,
            REMOTE_ADDR=ATTACKER,
        )
    response = client.post(
        "/api/actions/create-memo/",
        {},
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR=ATTACKER,
    )
    _assert_throttled(response)


def test_the_rate_is_a_setting(client, settings, token):
    settings.ACCOUNTS_API_AUTH_FAILURE_RATE = "2/10m"
    assert _me(client, WRONG_PAT, ATTACKER).status_code == 401
    assert _me(client, WRONG_PAT, ATTACKER).status_code == 401
    _assert_throttled(_me(client, WRONG_PAT, ATTACKER))
