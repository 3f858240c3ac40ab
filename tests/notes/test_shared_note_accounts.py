"""A member's shared notes are the organization's: in their data download, and left
with each org, unsigned, when their account is deleted."""

import pytest

from accounts.selectors import user_data_export
from accounts.services import user_delete
from notes import services
from notes.models import SharedNote
from orgs.models import Membership, Role
from scoping.scopes import unscoped
from tests.notes.conftest import membership
from tests.scopes import as_

pytestmark = pytest.mark.django_db


@pytest.fixture
def carols_shared(world):
    """Carol, a member of Acme and of Bobco, shared a note in each."""
    Membership.objects.create(org=world.bobco, user=world.carol, role=Role.MEMBER)
    shared = []
    for org, book in [(world.acme, world.acme_book), (world.bobco, world.bobco_book)]:
        with as_(world.carol, org):
            shared.append(
                services.shared_note_create(
                    member=membership(world.carol, org),
                    title=f"carol's in {org.name}",
                    notebook_id=book.pk,
                )
            )
    return shared


def test_the_data_download_lists_the_notes_shared_in_every_org(world, carols_shared):
    exported = user_data_export(world.carol)["shared_notes"]
    assert sorted((n["title"], n["notebook"]) for n in exported) == [
        ("carol's in Acme", "Acme book"),
        ("carol's in Bobco", "Bobco book"),
    ]


def test_deleting_the_account_leaves_its_shared_notes_unsigned_in_every_org(
    world, carols_shared
):
    # As the account page does it: inside the request's scope, one org's.
    with as_(world.carol, world.acme):
        user_delete(user=world.carol)
    with unscoped(reason="test: the notes as stored"):
        left = SharedNote.objects.filter(pk__in=[n.pk for n in carols_shared])
        assert sorted(left.values_list("title", "author")) == [
            ("carol's in Acme", None),
            ("carol's in Bobco", None),
        ]
