"""The org a request acts in: active, first, or a default one made once (not while an
invitation or an org of the user's proved domain is on offer)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from orgs import services
from orgs.models import ActiveOrg, Membership, Organization
from tests.factories import PASSWORD, UserFactory
from tests.scopes import membership_of_call

pytestmark = pytest.mark.django_db


def test_a_first_request_creates_the_users_workspace(client):
    user = UserFactory(name="Ada Lovelace")
    client.force_login(user)
    client.get("/")
    membership = Membership.objects.get(user=user)
    assert membership.role == "owner"
    assert membership.org.name == "Ada Lovelace's workspace"
    client.get("/")
    assert Organization.objects.count() == 1


def test_the_longest_name_a_sign_up_allows_still_gets_a_workspace(client):
    # The sign-up form takes 150 characters; an org's name holds 100.
    user = UserFactory(name="N" * 150)
    client.force_login(user)
    assert client.get("/").status_code == 200
    name = Membership.objects.get(user=user).org.name
    assert name == "N" * 88 + "'s workspace"
    assert len(name) == Organization._meta.get_field("name").max_length


def test_no_default_org_when_turned_off(client, settings):
    settings.ORGS_AUTO_CREATE_DEFAULT_ORG = False
    user = UserFactory()
    client.force_login(user)
    assert client.get("/team/").status_code == 200
    assert not Organization.objects.exists()


def test_a_pending_invitation_suppresses_the_default_org(
    client, org, owner, send_invitation
):
    invitee = UserFactory(email="new@example.com")
    send_invitation(org, owner, invitee.email)
    client.force_login(invitee)
    page = client.get("/").content.decode()
    assert "You are invited to join <strong>Acme</strong>" in page
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_active_org_is_used_while_the_user_is_a_member(org, owner, member):
    other = services.org_create(user=member, name="Other")
    services.active_org_switch(user=member, org=other)
    assert membership_of_call(member).org == other
    Membership.objects.filter(org=other, user=member).delete()
    # No longer a member of the active org: falls back to the first membership.
    assert membership_of_call(member).org == org


def test_switching_to_an_org_one_is_not_in_is_refused(org, outsider):
    from config.errors import NotFound

    with pytest.raises(NotFound):
        services.active_org_switch(user=outsider, org=org)
    assert not ActiveOrg.objects.filter(user=outsider, org=org).exists()


def test_switching_through_the_page(client, org, member):
    other = services.org_create(user=member, name="Other")
    client.force_login(member)
    client.post("/orgs/switch/", {"org": str(other.pk)})
    assert ActiveOrg.objects.get(user=member).org == other
    response = client.post("/orgs/switch/", {"org": "not-a-uuid"})
    assert response.status_code == 302
    assert ActiveOrg.objects.get(user=member).org == other


def test_the_active_org_survives_signing_out(org, member):
    other = services.org_create(user=member, name="Other")
    services.active_org_switch(user=member, org=other)
    browser = Client()
    browser.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    browser.post("/accounts/logout/")
    browser.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert membership_of_call(member).org == other


def test_a_verified_address_at_a_proved_domain_is_offered_not_joined(
    org, owner, prove_domain
):
    prove_domain(org, owner, "acme.test")
    colleague = UserFactory(email="colleague@acme.test")
    assert membership_of_call(colleague) is None
    assert not Membership.objects.filter(user=colleague).exists()
    assert Organization.objects.count() == 1


def test_an_unproved_domain_changes_nothing(org, owner, dns_server):
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    colleague = UserFactory(email="colleague@acme.test")
    membership = membership_of_call(colleague)
    assert membership.org != org
    assert membership.role == "owner"


def test_an_unverified_address_at_the_domain_joins_nothing_and_waits(
    org, owner, prove_domain
):
    # Not joined (that takes the address verified; the page offers the code), and
    # no workspace made meanwhile: verified, they may join the org that welcomes them.
    prove_domain(org, owner, "acme.test")
    stranger = UserFactory(email="stranger@acme.test", verified=False)
    assert membership_of_call(stranger) is None
    assert not Membership.objects.filter(user=stranger).exists()
    assert Organization.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_requests_create_one_org():
    user = UserFactory()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def first_request():
        try:
            barrier.wait(timeout=10)
            results.append(membership_of_call(user).org_id)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(set(results)) == 1
    assert Organization.objects.count() == 1
    assert Membership.objects.filter(user=user).count() == 1
