"""The team page and the org actions reach the same services, find the same rows and
leave the same state: whichever a person or an agent uses, the effect is one."""

import pytest
from django.db import transaction
from django.test import Client

from accounts.models import AuditEvent
from config.errors import ApplicationError
from orgs import services
from orgs.models import ActiveOrg, Invitation, InvitationStatus, Membership, Role
from tests.actions.conftest import call
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


def _roles(org) -> dict[str, str]:
    return dict(Membership.objects.filter(org=org).values_list("user__email", "role"))


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Creating an org and working in it: the page asks for both, an action may --------


def _create_through_page(user, name):
    _page(user).post("/team/create/", {"create-name": name})


def _create_through_action(user, name):
    data = {"name": name, "switch": True}
    assert call(user, "create-org", data).status_code == 200


@pytest.mark.parametrize("create", [_create_through_page, _create_through_action])
def test_creating_an_org_to_work_in_has_the_same_effects(org, member, create):
    ActiveOrg.objects.update_or_create(user=member, defaults={"org": org})
    create(member, "Side project")
    active = ActiveOrg.objects.get(user=member).org
    assert active.name == "Side project"
    assert _roles(active) == {member.email: Role.OWNER}
    # Two changes, a row each, written by the services the page and action share.
    assert [e.action for e in AuditEvent.objects.filter(org_id=active.pk)] == [
        "org.switched",
        "org.created",
    ]


def test_an_agent_creating_an_org_leaves_the_persons_active_org(org, member):
    """Only switch-org, or a create that asks to switch, moves the active org: an
    agent's call does not move the person's browser to another org."""
    ActiveOrg.objects.update_or_create(user=member, defaults={"org": org})
    assert call(member, "create-org", {"name": "Agent's"}).status_code == 200
    assert ActiveOrg.objects.get(user=member).org == org


# --- Transferring ownership -----------------------------------------------------------


def _transfer_through_page(actor, new_owner):
    return _page(actor).post(f"/team/members/{new_owner.pk}/transfer/")


def _transfer_through_action(actor, new_owner):
    return call(actor, "transfer-ownership", {"email": new_owner.email})


@pytest.mark.parametrize("transfer", [_transfer_through_page, _transfer_through_action])
def test_the_owner_transfers_ownership(org, owner, member, transfer):
    transfer(owner, member)
    assert _roles(org) == {owner.email: Role.ADMIN, member.email: Role.OWNER}
    assert AuditEvent.objects.filter(
        org_id=org.pk, action="org.ownership_transferred", actor=owner
    ).exists()


@pytest.mark.parametrize("transfer", [_transfer_through_page, _transfer_through_action])
def test_an_admin_cannot_transfer_ownership(org, owner, admin, member, transfer):
    before = _roles(org)
    transfer(admin, member)
    assert _roles(org) == before


def test_transfer_ownership_over_http(org, owner, member):
    response = call(owner, "transfer-ownership", {"email": member.email.upper()})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "email": member.email,
        "name": member.name,
        "role": "owner",
        "joined_at": response.json()["joined_at"],
    }
    # The old owner is an admin now: owners only, so a second call is refused.
    again = call(owner, "transfer-ownership", {"email": member.email})
    assert again.status_code == 403
    assert again.json()["error"]["code"] == "permission_denied"


def test_transfer_ownership_is_refused_to_an_admin_over_http(org, owner, admin, member):
    response = call(admin, "transfer-ownership", {"email": member.email})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert _roles(org)[owner.email] == Role.OWNER


def test_transfer_ownership_needs_a_member_of_the_org(org, owner, outsider):
    elsewhere = services.org_create(user=outsider, name="Elsewhere")
    assert elsewhere.pk != org.pk
    ActiveOrg.objects.update_or_create(user=owner, defaults={"org": org})
    response = call(owner, "transfer-ownership", {"email": outsider.email})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert _roles(org) == {owner.email: Role.OWNER}


def test_transfer_ownership_to_oneself_is_invalid(org, owner):
    response = call(owner, "transfer-ownership", {"email": owner.email})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert _roles(org) == {owner.email: Role.OWNER}


def test_transfer_ownership_is_audited_once_by_the_service(org, owner, member):
    call(owner, "transfer-ownership", {"email": member.email})
    actions = [e.action for e in AuditEvent.objects.filter(org_id=org.pk)]
    assert actions.count("org.ownership_transferred") == 1
    # The runner records refusals and failures only: the service's row is the one.
    assert actions.count("action.transfer-ownership") == 0


# --- The same lookups: another org's rows are not found, from either side -------------


@pytest.fixture
def other_orgs_invitation(outsider):
    other = services.org_create(user=outsider, name="Elsewhere")
    return services.invitation_create(
        org=other, actor=outsider, email="guest@example.com"
    )


@pytest.mark.parametrize("verb", ["resend", "revoke"])
def test_another_orgs_invitation_is_not_found_from_either_side(
    org, owner, other_orgs_invitation, verb
):
    page = _page(owner).post(f"/team/invitations/{other_orgs_invitation.pk}/{verb}/")
    assert page.status_code == 404
    action = call(owner, f"{verb}-invitation", {"invitation": other_orgs_invitation.pk})
    assert action.status_code == 404
    other_orgs_invitation.refresh_from_db()
    assert other_orgs_invitation.status == InvitationStatus.PENDING


def test_another_orgs_member_is_not_found_from_either_side(org, owner, outsider):
    services.org_create(user=outsider, name="Elsewhere")
    ActiveOrg.objects.update_or_create(user=owner, defaults={"org": org})
    assert _page(owner).post(f"/team/members/{outsider.pk}/remove/").status_code == 404
    action = call(owner, "remove-member", {"email": outsider.email})
    assert action.status_code == 404
    assert Membership.objects.filter(user=outsider).exists()


def test_someone_elses_invitation_is_not_found_from_either_side(org, owner):
    invitation = services.invitation_create(
        org=org, actor=owner, email="someone@example.com"
    )
    intruder = UserFactory(email="intruder@example.com")
    page = _page(intruder).post(f"/invitations/{invitation.pk}/accept/")
    assert page.status_code == 404
    action = call(intruder, "accept-invitation", {"invitation": invitation.pk})
    assert action.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_switching_to_an_org_one_is_not_in_is_not_found_from_either_side(org, outsider):
    services.org_create(user=outsider, name="Elsewhere")
    page = _page(outsider).post("/orgs/switch/", {"org": str(org.pk)})
    assert page.status_code == 404
    action = call(outsider, "switch-org", {"org": str(org.pk)})
    assert action.status_code == 404
    assert ActiveOrg.objects.get(user=outsider).org != org


# --- Removing: the page offers what the service allows --------------------------------


class _Undo(Exception):
    pass


def _service_removes(org, actor, user) -> bool:
    """Whether member_remove lets `actor` remove `user` (undone at once)."""
    try:
        with transaction.atomic():
            services.member_remove(org=org, actor=actor, member=user)
            raise _Undo
    except _Undo:
        return True
    except ApplicationError:
        return False


@pytest.mark.parametrize(
    ("role", "removable"),
    [
        ("owner", {"admin@acme.test", "second@acme.test", "member@acme.test"}),
        ("admin", {"second@acme.test", "member@acme.test"}),
        ("member", set()),
    ],
)
def test_the_page_offers_remove_exactly_where_the_service_allows(
    org, owner, admin, member, role, removable
):
    second_admin = member_of(org, email="second@acme.test", role=Role.ADMIN)
    actor = {"owner": owner, "admin": admin, "member": member}[role]
    everyone = [owner, admin, second_admin, member]
    page = _page(actor).get("/team/").content.decode()
    offered = {u.email for u in everyone if f"/team/members/{u.pk}/remove/" in page}
    allowed = {u.email for u in everyone if _service_removes(org, actor, u)}
    assert offered == allowed == removable
