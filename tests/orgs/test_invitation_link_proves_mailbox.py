"""With verification skipped, the emailed link proves the invited mailbox.

Accepting from the link marks the invited address verified (it is the user's own)
and joins, and switches to, the org; accepting by id still needs it verified.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import AuditEvent
from config.errors import Conflict, PermissionDenied
from orgs import selectors, services
from orgs.models import ActiveOrg, Invitation, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _verified(user, email) -> bool:
    return EmailAddress.objects.filter(user=user, email=email, verified=True).exists()


def test_accepting_from_the_link_verifies_the_address_and_joins(
    org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test", verified=False)
    _, secret = send_invitation(org, owner, bob.email)
    membership = services.invitation_accept_by_link(secret=secret, user=bob)
    assert membership.org == org
    assert _verified(bob, "bob@x.test")
    assert Invitation.objects.get().status == "accepted"
    verified = AuditEvent.objects.filter(action="auth.email_verified", actor=bob)
    assert [e.metadata for e in verified] == [
        {"email": "bob@x.test", "proof": "invitation_link"}
    ]
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_the_link_makes_the_address_row_when_only_user_email_matches(
    org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test", verified=False)
    EmailAddress.objects.filter(user=bob).delete()
    _, secret = send_invitation(org, owner, bob.email)
    services.invitation_accept_by_link(secret=secret, user=bob)
    address = EmailAddress.objects.get(user=bob)
    assert (address.email, address.verified, address.primary) == (
        "bob@x.test",
        True,
        True,
    )


def test_the_link_verifies_only_the_users_own_address(org, owner, send_invitation):
    _, secret = send_invitation(org, owner, "bob@x.test")
    carol = UserFactory(email="carol@x.test", verified=False)
    with pytest.raises(PermissionDenied):
        services.invitation_accept_by_link(secret=secret, user=carol)
    assert not EmailAddress.objects.filter(email="bob@x.test").exists()
    assert not _verified(carol, "carol@x.test")
    assert not Membership.objects.filter(user=carol).exists()
    assert Invitation.objects.get().status == "pending"


def test_the_link_does_not_take_an_address_verified_by_another_account(
    org, owner, send_invitation
):
    UserFactory(email="bob@x.test")  # verified, the real owner
    carol = UserFactory(email="carol@x.test")
    EmailAddress.objects.create(user=carol, email="BOB@x.test", verified=False)
    _, secret = send_invitation(org, owner, "bob@x.test")
    with pytest.raises(Conflict):
        services.invitation_accept_by_link(secret=secret, user=carol)
    assert not _verified(carol, "BOB@x.test")
    assert not Membership.objects.filter(user=carol, org=org).exists()


def test_accepting_by_id_still_needs_a_verified_address(
    client, org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test", verified=False)
    invitation, _ = send_invitation(org, owner, bob.email)
    with pytest.raises(PermissionDenied, match="not verified yet"):
        services.invitation_accept(invitation=invitation, user=bob)
    client.force_login(bob)
    response = client.post(f"/invitations/{invitation.pk}/accept/")
    assert response.status_code == 404  # the banner's accept: verified addresses only
    assert not _verified(bob, "bob@x.test")
    assert not Membership.objects.filter(user=bob).exists()


def test_the_link_proves_nothing_where_verification_is_required(
    settings, org, owner, send_invitation
):
    settings.ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = False
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    bob = UserFactory(email="bob@x.test", verified=False)
    _, secret = send_invitation(org, owner, bob.email)
    with pytest.raises(PermissionDenied):
        services.invitation_accept_by_link(secret=secret, user=bob)
    assert not _verified(bob, "bob@x.test")
    assert not Membership.objects.filter(user=bob).exists()


@pytest.mark.parametrize("status", ["expired", "revoked", "accepted"])
def test_an_unusable_link_verifies_nothing(status, org, owner, send_invitation):
    bob = UserFactory(email="bob@x.test", verified=False)
    _, secret = send_invitation(org, owner, bob.email)
    if status == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        Invitation.objects.update(status=status)
    with pytest.raises(Conflict):
        services.invitation_accept_by_link(secret=secret, user=bob)
    assert not _verified(bob, "bob@x.test")
    assert not AuditEvent.objects.filter(action="auth.email_verified").exists()


def test_accepting_from_the_link_switches_to_the_org_joined(
    org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test", verified=False)
    own = services.org_create(user=bob, name="Bob's", switch=True)
    assert ActiveOrg.objects.get(user=bob).org == own
    _, secret = send_invitation(org, owner, bob.email)
    services.invitation_accept_by_link(secret=secret, user=bob)
    assert ActiveOrg.objects.get(user=bob).org == org
    assert AuditEvent.objects.filter(action="org.switched", org_id=org.pk).count() == 1


def test_accepting_by_id_does_not_switch(org, owner, send_invitation):
    bob = UserFactory(email="bob@x.test")
    own = services.org_create(user=bob, name="Bob's", switch=True)
    invitation, _ = send_invitation(org, owner, bob.email)
    services.invitation_accept(invitation=invitation, user=bob)
    assert ActiveOrg.objects.get(user=bob).org == own


def test_a_pending_invitation_to_an_unverified_address_stops_the_workspace(
    org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test", verified=False)
    send_invitation(org, owner, bob.email)
    assert selectors.pending_invitations_for(bob).count() == 0  # accept rules: verified
    assert services.org_create_default(user=bob) is None
    assert not Membership.objects.filter(user=bob).exists()


def test_an_invitation_to_a_secondary_unverified_address_stops_the_workspace(
    org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test")
    EmailAddress.objects.create(user=bob, email="Bob@Work.test", verified=False)
    send_invitation(org, owner, "bob@work.test")
    assert services.org_create_default(user=bob) is None


def test_without_an_invitation_the_workspace_is_made(db):
    bob = UserFactory(email="bob@x.test", verified=False)
    assert services.org_create_default(user=bob) is not None
