"""The last-owner rule holds when two owners act at once (PostgreSQL, two threads).

Each service counts the owners and then changes one. Without a lock, two owners
leaving, or removing or demoting each other, at the same moment each saw the other
and the org was left with none (3 and 4 rounds of 4). The services lock the org's
memberships first; the barrier below makes both threads count before either
writes, unless the lock keeps the second one waiting.
"""

import contextlib
import threading

import pytest
from django.db import connection

from config.errors import ApplicationError
from orgs import selectors, services
from orgs.models import Membership, Role
from tests.factories import UserFactory, member_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACES = {
    "both leave": lambda org, a, b: (
        lambda: services.member_leave(org=org, user=a),
        lambda: services.member_leave(org=org, user=b),
    ),
    "each demotes the other": lambda org, a, b: (
        lambda: services.member_change_role(org=org, actor=a, member=b, role="admin"),
        lambda: services.member_change_role(org=org, actor=b, member=a, role="admin"),
    ),
    "each removes the other": lambda org, a, b: (
        lambda: services.member_remove(org=org, actor=a, member=b),
        lambda: services.member_remove(org=org, actor=b, member=a),
    ),
}


@pytest.fixture
def counts_then_waits(monkeypatch):
    """Every owner count waits (up to a second) for the other thread's count."""
    barrier = threading.Barrier(2)
    count = selectors.owners_count

    def counted(org):
        owners = count(org)
        # Broken when the other thread is held by the lock: as it should be.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return owners

    monkeypatch.setattr(selectors, "owners_count", counted)


@pytest.mark.parametrize("race", RACES)
def test_two_owners_at_once_leave_the_org_an_owner(counts_then_waits, race):
    alice = UserFactory()
    org = services.org_create(user=alice, name="Acme")
    bob = member_of(org, email="bob@acme.test", role=Role.OWNER)
    failures = []

    def act(change):
        try:
            change()
        except ApplicationError as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(c,)) for c in RACES[race](org, alice, bob)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert Membership.objects.filter(org=org, role=Role.OWNER).count() == 1
    assert len(failures) == 1
