from types import SimpleNamespace

import pytest

from notes import services as notes
from orgs import services as orgs
from orgs.models import Membership, Role
from scoping.scopes import scope
from tests.factories import UserFactory


def person(email: str, org):
    user = UserFactory(email=email)
    Membership.objects.get_or_create(org=org, user=user, defaults={"role": Role.MEMBER})
    return user


@pytest.fixture
def world(db):
    """Alice and Carol in Acme, Bob in Bobco; each with a private note and a notebook
    in their org."""
    alice = UserFactory(email="alice@acme.test")
    acme = orgs.org_create(user=alice, name="Acme")
    bob = UserFactory(email="bob@bobco.test")
    bobco = orgs.org_create(user=bob, name="Bobco")
    carol = person("carol@acme.test", acme)
    with scope(owner_email=alice.email, org_id=acme.pk):
        alice_note = notes.note_create(title="alice's note")
        acme_book = notes.notebook_create(name="Acme book")
    with scope(owner_email=bob.email, org_id=bobco.pk):
        bob_note = notes.note_create(title="bob's note")
        bobco_book = notes.notebook_create(name="Bobco book")
    with scope(owner_email=carol.email, org_id=acme.pk):
        carol_note = notes.note_create(title="carol's note")
    return SimpleNamespace(**locals())


def as_(user, org):
    """The scope a request by `user` in `org` runs in."""
    return scope(owner_email=user.email, org_id=org.pk)
