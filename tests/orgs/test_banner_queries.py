"""The banners on every signed-in page (invitations, orgs offered by domain) read
the user's addresses once, however many of them ask."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs import selectors
from orgs.services import invitation_create, org_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _address_reads(queries) -> int:
    return sum('"account_emailaddress"' in query["sql"] for query in queries)


def test_a_signed_in_page_reads_the_addresses_once(client):
    user = UserFactory(email="ann@acme.test")
    client.force_login(user)
    client.get("/team/")  # a first request makes the default workspace
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/team/").status_code == 200
    assert _address_reads(queries.captured_queries) == 1


def test_the_banners_say_the_same_with_the_addresses_handed_in(prove_domain):
    founder = UserFactory(email="founder@acme.test")
    acme = org_create(user=founder, name="Acme")
    prove_domain(acme, founder, "acme.test")
    user = UserFactory(email="ann@acme.test", verified=False)
    invitation_create(org=acme, actor=founder, email="ann@acme.test")
    addresses = selectors.addresses_of(user)
    assert addresses.all == {"ann@acme.test"}
    assert addresses.verified == frozenset()
    for read in (
        selectors.pending_invitations_for,
        selectors.pending_invitations_awaiting_verification_for,
        selectors.orgs_offered_by_domain,
        selectors.domain_offers_awaiting_verification_for,
    ):
        assert list(read(user, addresses)) == list(read(user)), read.__name__
    assert selectors.domain_offers_awaiting_verification_for(user, addresses)
    assert list(selectors.pending_invitations_awaiting_verification_for(user))
