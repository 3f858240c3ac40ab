"""The sessions list (allauth's user sessions) costs no write on every request."""

import pytest

pytestmark = pytest.mark.django_db


def test_session_activity_is_written_at_most_once_a_minute(client, user, monkeypatch):
    """allauth wrote the session's row on every request, reads included."""
    from allauth.usersessions.models import UserSession

    client.force_login(user)
    written = []
    real = UserSession.objects.create_from_request
    monkeypatch.setattr(
        UserSession.objects,
        "create_from_request",
        lambda request: written.append(1) or real(request),
    )
    for _ in range(3):
        assert client.get("/account/").status_code == 200
    assert written == [1]
