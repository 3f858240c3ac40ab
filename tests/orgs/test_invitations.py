"""Invitations: hashed single-use links for one verified address, expiring."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from config.errors import Conflict, InvalidInput, PermissionDenied
from orgs import services
from orgs.models import ActiveOrg, Invitation, Membership
from orgs.tokens import digest
from tests.factories import PASSWORD, UserFactory
from tests.orgs.links import link_in

pytestmark = pytest.mark.django_db


def test_invitation_email_carries_a_link_whose_hash_only_is_stored(
    org, owner, send_invitation
):
    invitation, secret = send_invitation(org, owner, "New@Example.com")
    invitation.refresh_from_db()
    assert invitation.email == "new@example.com"
    assert mail.outbox[-1].to == ["new@example.com"]
    assert invitation.token_digest == digest(secret)
    assert secret not in str(Invitation.objects.values().get())
    expected_expiry = timezone.now() + timedelta(days=7)
    assert abs(invitation.expires_at - expected_expiry) < timedelta(minutes=1)


def test_the_invitee_accepts_with_the_link(client, org, owner, send_invitation):
    invitee = UserFactory(email="new@example.com")
    _, secret = send_invitation(org, owner, invitee.email)
    client.force_login(invitee)
    response = client.post(f"/invitations/{secret}/accept/")
    assert response.status_code == 302
    assert Membership.objects.get(org=org, user=invitee).role == "member"
    assert Invitation.objects.get().status == "accepted"


def test_accepted_as_admin_when_invited_as_admin(org, owner, send_invitation):
    invitee = UserFactory(email="boss@example.com")
    invitation, _ = send_invitation(org, owner, invitee.email, role="admin")
    membership = services.invitation_accept(invitation=invitation, user=invitee)
    assert membership.role == "admin"


def test_an_invitation_to_a_cannot_be_accepted_by_b(org, owner, send_invitation):
    invitation, _ = send_invitation(org, owner, "a@x.test")
    b = UserFactory(email="b@x.test")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=b)
    assert not Membership.objects.filter(user=b).exists()
    assert Invitation.objects.get().status == "pending"


def test_an_unverified_address_cannot_accept(org, owner, send_invitation):
    invitation, _ = send_invitation(org, owner, "a@x.test")
    unverified = UserFactory(email="a@x.test", verified=False)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=unverified)
    assert not Membership.objects.filter(user=unverified).exists()


def test_the_link_works_once(client, org, owner, send_invitation):
    invitee = UserFactory(email="a@x.test")
    invitation, secret = send_invitation(org, owner, invitee.email)
    services.invitation_accept(invitation=invitation, user=invitee)
    services.member_remove(org=org, actor=owner, member=invitee)
    client.force_login(invitee)
    client.post(f"/invitations/{secret}/accept/")
    assert not Membership.objects.filter(org=org, user=invitee).exists()


def test_expired_invitation_is_refused_and_marked(org, owner, send_invitation):
    invitee = UserFactory(email="a@x.test")
    invitation, _ = send_invitation(org, owner, invitee.email)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict, match="expired"):
        services.invitation_accept(invitation=invitation, user=invitee)
    assert Invitation.objects.get().status == "expired"
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_periodic_task_expires_old_invitations(org, owner, send_invitation):
    from orgs.tasks import expire_invitations

    send_invitation(org, owner, "old@x.test")
    send_invitation(org, owner, "new@x.test")
    Invitation.objects.filter(email="old@x.test").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    assert expire_invitations() == 1
    statuses = dict(Invitation.objects.values_list("email", "status"))
    assert statuses == {"old@x.test": "expired", "new@x.test": "pending"}


def test_the_ttl_is_a_setting(org, owner, settings, send_invitation):
    settings.ORGS_INVITATION_TTL_DAYS = 2
    invitation, _ = send_invitation(org, owner, "a@x.test")
    remaining = invitation.expires_at - timezone.now()
    assert timedelta(days=1, hours=23) < remaining <= timedelta(days=2)


def test_revoked_invitation_is_refused(org, owner, send_invitation):
    invitee = UserFactory(email="a@x.test")
    invitation, _ = send_invitation(org, owner, invitee.email)
    services.invitation_revoke(invitation=invitation, actor=owner)
    with pytest.raises(Conflict, match="revoked"):
        services.invitation_accept(invitation=invitation, user=invitee)


def test_resend_replaces_the_link(
    client, org, owner, send_invitation, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="a@x.test")
    invitation, old_secret = send_invitation(org, owner, invitee.email)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, actor=owner)
    new_secret = link_in(mail.outbox[-1])
    assert new_secret != old_secret
    client.force_login(invitee)
    client.post(f"/invitations/{old_secret}/accept/")
    assert not Membership.objects.filter(user=invitee).exists()
    client.post(f"/invitations/{new_secret}/accept/")
    assert Membership.objects.filter(user=invitee, org=org).exists()


def test_members_and_pending_invitees_cannot_be_invited_again(
    org, owner, member, send_invitation
):
    with pytest.raises(Conflict):
        services.invitation_create(org=org, actor=owner, email=member.email.upper())
    send_invitation(org, owner, "a@x.test")
    with pytest.raises(Conflict):
        services.invitation_create(org=org, actor=owner, email="A@x.test")
    assert Invitation.objects.count() == 1


def test_nobody_is_invited_as_owner(org, owner):
    with pytest.raises(InvalidInput):
        services.invitation_create(org=org, actor=owner, email="a@x.test", role="owner")
    assert not Invitation.objects.exists()


def test_accepting_keeps_the_active_org_unless_there_was_none(
    org, owner, send_invitation
):
    invitee = UserFactory(email="a@x.test")
    home = services.org_create(user=invitee, name="Home")
    services.active_org_switch(user=invitee, org=home)
    invitation, _ = send_invitation(org, owner, invitee.email)
    services.invitation_accept(invitation=invitation, user=invitee)
    assert ActiveOrg.objects.get(user=invitee).org == home

    newcomer = UserFactory(email="b@x.test")
    invitation, _ = send_invitation(org, owner, newcomer.email)
    services.invitation_accept(invitation=invitation, user=newcomer)
    assert ActiveOrg.objects.get(user=newcomer).org == org


def test_decline(org, owner, send_invitation):
    invitee = UserFactory(email="a@x.test")
    invitation, _ = send_invitation(org, owner, invitee.email)
    services.invitation_decline(invitation=invitation, user=invitee)
    assert Invitation.objects.get().status == "declined"
    assert not Membership.objects.filter(user=invitee).exists()


def test_signed_out_visitor_signs_up_from_the_link_and_comes_back(
    org, owner, send_invitation
):
    _, secret = send_invitation(org, owner, "fresh@x.test")
    browser = Client()
    landing = browser.get(f"/invitations/{secret}/")
    assert landing.status_code == 200
    assert "Join Acme" in landing.content.decode()
    assert landing["Cache-Control"] == "no-store"
    signup_link = f"/accounts/signup/?next=/invitations/{secret}/"
    assert signup_link in landing.content.decode()

    # Verification is skipped in test settings; the address is the user's own.
    response = browser.post(
        signup_link,
        {
            "email": "fresh@x.test",
            "password1": PASSWORD,
            "next": f"/invitations/{secret}/",
        },
    )
    assert response["Location"] == f"/invitations/{secret}/"


def test_an_unknown_link_is_a_404(client):
    assert client.get("/invitations/inv_not-a-real-one/").status_code == 404


def test_the_invite_email_is_sent_by_a_task_after_commit(
    org, owner, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_create(org=org, actor=owner, email="a@x.test")
    assert mail.outbox == []  # nothing sent inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[-1].to == ["a@x.test"]
