"""One invitation is sent again at most ORGS_INVITATION_RESEND_RATE times (3 an
hour), whoever asks and however: the service refuses (Throttled), the team page says
so, the action answers 429 in the envelope. A refused resend changes nothing."""

import pytest
from django.core import mail

from accounts.services import api_token_create
from config.errors import Throttled
from orgs import services
from orgs.app_settings import app_settings
from orgs.models import Invitation

pytestmark = pytest.mark.django_db

ALLOWED = 3


def test_the_default_is_three_an_hour():
    assert f"{ALLOWED}/h" == app_settings.INVITATION_RESEND_RATE


@pytest.fixture
def invitation(org, owner, send_invitation):
    invitation, _ = send_invitation(org, owner, "invitee@x.test")
    return invitation


@pytest.fixture
def resend(django_capture_on_commit_callbacks):
    def resend(invitation, actor):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_resend(invitation=invitation, actor=actor)

    return resend


def test_a_fourth_resend_within_the_hour_is_refused_and_sends_nothing(
    owner, invitation, resend
):
    for _ in range(ALLOWED):
        resend(invitation, owner)
    sent, expires_at = len(mail.outbox), Invitation.objects.get().expires_at
    with pytest.raises(Throttled) as refused:
        resend(invitation, owner)
    assert refused.value.retry_after_seconds >= 1
    assert len(mail.outbox) == sent
    assert Invitation.objects.get().expires_at == expires_at


def test_the_limit_is_per_invitation_whoever_asks(
    org, owner, admin, invitation, resend, send_invitation
):
    for _ in range(ALLOWED):
        resend(invitation, owner)
    with pytest.raises(Throttled):
        resend(invitation, admin)
    other, _ = send_invitation(org, owner, "someone-else@x.test")
    resend(other, admin)


def test_the_team_page_says_the_resend_was_refused(client, owner, invitation):
    client.force_login(owner)
    path = f"/team/invitations/{invitation.pk}/resend/"
    for _ in range(ALLOWED):
        client.post(path)
    response = client.post(path, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "sent again too often" in page
    assert "try again in" in page


def test_the_action_answers_429_in_the_envelope(client, owner, invitation):
    _, token = api_token_create(user=owner, name="agent")

    def resend_by_api():
        return client.post(
            "/api/actions/resend-invitation/",
            {"invitation": invitation.pk},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    for _ in range(ALLOWED):
        assert resend_by_api().status_code == 200
    response = resend_by_api()
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert "sent again too often" in response.json()["error"]["message"]
    assert int(response["Retry-After"]) >= 1
