"""Joining an org by email domain is offered, never imposed; only by a proved domain;
never to someone an admin removed (until an invitation takes them back)."""

import pytest
from django.test import Client

from accounts.models import AuditEvent
from config.errors import NotFound
from orgs import selectors, services
from orgs.models import ActiveOrg, MemberRemoval, Membership, Organization
from tests.factories import UserFactory
from tests.scopes import membership_of_call

pytestmark = pytest.mark.django_db

BANNER = "<strong>Acme</strong> welcomes people with an address at your email domain."


@pytest.fixture
def proved(org, owner, prove_domain):
    return prove_domain(org, owner, "acme.test")


@pytest.fixture
def colleague(db):
    return UserFactory(email="colleague@acme.test")


def _join_form(org):
    return f'<input type="hidden" name="org" value="{org.pk}">'


def test_a_newcomer_is_offered_the_org_not_joined(client, org, proved, colleague):
    client.force_login(colleague)
    page = client.get("/").content.decode()
    assert BANNER in page
    assert _join_form(org) in page
    assert not Membership.objects.filter(user=colleague).exists()
    # …and gets no workspace of their own while the offer stands.
    assert list(Organization.objects.all()) == [org]
    assert membership_of_call(colleague) is None


def test_the_team_page_offers_it_too(client, org, proved, colleague):
    client.force_login(colleague)
    page = client.get("/team/").content.decode()
    assert "Organizations for your email domain" in page
    assert _join_form(org) in page
    assert not Membership.objects.filter(user=colleague).exists()


def test_joining_through_the_banner(client, org, proved, colleague):
    client.force_login(colleague)
    response = client.post("/team/join/", {"org": str(org.pk)})
    assert response.status_code == 302
    membership = Membership.objects.get(user=colleague)
    assert (membership.org, membership.role) == (org, "member")
    assert ActiveOrg.objects.get(user=colleague).org == org
    assert (
        AuditEvent.objects.filter(
            org_id=org.pk, action="member.joined_by_domain", actor=colleague
        ).count()
        == 1
    )
    assert BANNER not in client.get("/").content.decode()
    # A second click changes nothing.
    client.post("/team/join/", {"org": str(org.pk)})
    assert Membership.objects.filter(user=colleague).count() == 1


def test_joining_needs_a_post_with_the_csrf_token(org, proved, colleague):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(colleague)
    assert browser.get("/team/join/", {"org": str(org.pk)}).status_code == 405
    assert browser.post("/team/join/", {"org": str(org.pk)}).status_code == 403
    assert not Membership.objects.filter(user=colleague).exists()


def test_a_pending_domain_offers_nothing(client, org, owner, colleague, dns_server):
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    assert not selectors.orgs_offered_by_domain(colleague).exists()
    with pytest.raises(NotFound):
        services.org_join_by_domain(user=colleague)
    client.force_login(colleague)
    response = client.post("/team/join/", {"org": str(org.pk)})
    assert response.status_code == 302
    assert not Membership.objects.filter(org=org, user=colleague).exists()
    # Nothing offered, so the newcomer gets their own workspace as usual.
    assert membership_of_call(colleague).org != org


def test_an_unverified_address_may_not_join_and_the_page_says_verify(
    client, org, proved
):
    stranger = UserFactory(email="stranger@acme.test", verified=False)
    assert not selectors.orgs_offered_by_domain(stranger).exists()
    with pytest.raises(NotFound):
        services.org_join_by_domain(user=stranger)
    client.force_login(stranger)
    assert client.post("/team/join/", {"org": str(org.pk)}).status_code == 302
    assert not Membership.objects.filter(org=org, user=stranger).exists()
    # Every page says what joining takes, and offers the code.
    for path in ("/", "/team/"):
        page = client.get(path).content.decode()
        assert _join_form(org) not in page
        assert "To join Acme, verify stranger@acme.test first" in page
        assert 'name="action_send"' in page
    # About to join Acme, not to need a workspace of their own.
    assert membership_of_call(stranger) is None
    assert list(Organization.objects.all()) == [org]


def test_once_verified_the_offer_is_to_join(client, org, proved):
    from allauth.account.models import EmailAddress

    stranger = UserFactory(email="stranger@acme.test", verified=False)
    assert selectors.domain_offers_awaiting_verification_for(stranger) == [
        {"org": org, "email": "stranger@acme.test"}
    ]
    EmailAddress.objects.filter(user=stranger).update(verified=True)
    assert selectors.domain_offers_awaiting_verification_for(stranger) == []
    client.force_login(stranger)
    page = client.get("/").content.decode()
    assert _join_form(org) in page
    assert "verify stranger@acme.test first" not in page


def test_another_domain_is_offered_nothing(org, proved, outsider):
    with pytest.raises(NotFound):
        services.org_join_by_domain(user=outsider, org=org)
    assert not Membership.objects.filter(org=org, user=outsider).exists()


def test_the_join_by_domain_service_joins_the_offered_org(org, proved, colleague):
    membership = services.org_join_by_domain(user=colleague)
    assert (membership.org, membership.role) == (org, "member")


def test_of_two_offered_orgs_the_chosen_one(owner, prove_domain, colleague):
    from allauth.account.models import EmailAddress

    first = services.org_create(user=owner, name="First")
    second = services.org_create(user=owner, name="Second")
    prove_domain(first, owner, "acme.test")
    prove_domain(second, owner, "acme.example")
    EmailAddress.objects.create(
        user=colleague, email="colleague@acme.example", verified=True
    )
    assert set(selectors.orgs_offered_by_domain(colleague)) == {first, second}
    assert services.org_join_by_domain(user=colleague, org=second).org == second
    assert list(selectors.orgs_offered_by_domain(colleague)) == [first]


# --- Removed, left, invited back ------------------------------------------------------


def test_a_removed_member_cannot_rejoin_by_domain(client, org, owner, proved):
    colleague = UserFactory(email="colleague@acme.test")
    services.org_join_by_domain(user=colleague)
    services.member_remove(org=org, actor=owner, member=colleague)
    removal = MemberRemoval.objects.get(org=org, user=colleague)
    assert removal.removed_by == owner
    assert not selectors.orgs_offered_by_domain(colleague).exists()
    with pytest.raises(NotFound):
        services.org_join_by_domain(user=colleague, org=org)
    client.force_login(colleague)
    assert BANNER not in client.get("/").content.decode()
    client.post("/team/join/", {"org": str(org.pk)})
    assert not Membership.objects.filter(org=org, user=colleague).exists()


def test_an_invitation_accepted_takes_a_removed_member_back(
    org, owner, proved, send_invitation
):
    colleague = UserFactory(email="colleague@acme.test")
    services.org_join_by_domain(user=colleague)
    services.member_remove(org=org, actor=owner, member=colleague)
    invitation, _ = send_invitation(org, owner, colleague.email)
    services.invitation_accept(invitation=invitation, user=colleague)
    assert Membership.objects.filter(org=org, user=colleague).exists()
    assert not MemberRemoval.objects.filter(org=org, user=colleague).exists()
    # Back in good standing: leaving later leaves the domain open to them again.
    services.member_leave(org=org, user=colleague)
    assert list(selectors.orgs_offered_by_domain(colleague)) == [org]


def test_a_member_who_left_may_rejoin_by_domain(org, proved, colleague):
    services.org_join_by_domain(user=colleague)
    services.member_leave(org=org, user=colleague)
    assert not MemberRemoval.objects.exists()
    assert list(selectors.orgs_offered_by_domain(colleague)) == [org]
    assert services.org_join_by_domain(user=colleague).org == org


def test_a_removal_survives_a_new_domain_claim(org, owner, proved, prove_domain):
    colleague = UserFactory(email="colleague@acme.test")
    services.org_join_by_domain(user=colleague)
    services.member_remove(org=org, actor=owner, member=colleague)
    services.org_set_allowed_domain(org=org, actor=owner, domain="")
    prove_domain(org, owner, "acme.test")
    assert not selectors.orgs_offered_by_domain(colleague).exists()
