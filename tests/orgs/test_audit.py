"""Every change to an organization is in the audit log, with the org's id."""

import pytest

from accounts.models import AuditEvent
from orgs import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_change_writes_one_event_for_the_org(
    org, owner, admin, member, send_invitation, celery_eager, dns_server
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
        "org.domain_claimed",
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


def test_domain_proof_and_joining_write_one_event_each(org, owner, dns_server):
    claim = services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    services.domain_claim_check(claim=claim)  # not found yet: no state change
    dns_server.add_txt(claim.txt_name, claim.token)
    services.domain_claim_check(claim=claim)
    services.domain_claim_check(claim=claim)  # verified already: no change
    colleague = UserFactory(email="colleague@acme.test")
    services.org_join_by_domain(user=colleague)
    services.member_remove(org=org, actor=owner, member=colleague)
    services.org_set_allowed_domain(org=org, actor=owner, domain=None)

    events = AuditEvent.objects.filter(org_id=org.pk).order_by("id")
    assert [(e.action, e.actor_label, e.metadata) for e in events][1:] == [
        ("org.domain_claimed", owner.email, {"domain": "acme.test"}),
        ("org.domain_verified", "", {"domain": "acme.test"}),
        ("member.joined_by_domain", colleague.email, {}),
        ("member.removed", owner.email, {"member": colleague.email, "role": "member"}),
        ("org.domain_dropped", owner.email, {"domain": "acme.test"}),
    ]
