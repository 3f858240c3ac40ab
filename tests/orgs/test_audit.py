"""Every change to an organization is in the audit log, with the org's id."""

import pytest

from accounts.models import AuditEvent
from orgs import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_change_writes_one_event_for_the_org(
    org, owner, admin, member, send_invitation, celery_eager
):
    invitee = UserFactory(email="new@example.com")
    invitation, _ = send_invitation(org, owner, invitee.email)
    services.invitation_resend(invitation=invitation, actor=admin)
    services.invitation_accept(invitation=invitation, user=invitee)
    second, _ = send_invitation(org, owner, "later@example.com")
    services.invitation_revoke(invitation=second, actor=owner)
    services.org_rename(org=org, actor=admin, name="Acme Corp")
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    services.member_change_role(org=org, actor=owner, member=member, role="admin")
    services.member_remove(org=org, actor=admin, member=invitee)
    services.active_org_switch(user=member, org=org)
    services.ownership_transfer(org=org, actor=owner, new_owner=member)
    services.member_leave(org=org, user=owner)

    events = AuditEvent.objects.filter(org_id=org.pk).order_by("id")
    assert [e.action for e in events] == [
        "org.created",
        "invitation.created",
        "invitation.resent",
        "invitation.accepted",
        "invitation.created",
        "invitation.revoked",
        "org.renamed",
        "org.domain_set",
        "member.role_changed",
        "member.removed",
        "org.switched",
        "org.ownership_transferred",
        "member.left",
    ]
    assert events.get(action="member.role_changed").metadata == {
        "member": member.email,
        "old": "member",
        "new": "admin",
    }
