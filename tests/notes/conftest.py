"""The example app's tests: delete this folder together with notes/."""

import pytest


def membership(user, org):
    """`user`'s membership of `org`: who the shared-note services act for."""
    from orgs import selectors

    return selectors.membership_of(user, org)


@pytest.fixture
def world(world):
    """The shared world, plus a private note each, a notebook per org, and a note
    Alice (Acme's owner) shared in Acme's notebook; Carol is a member of Acme."""
    from notes import services as notes
    from scoping.scopes import scope

    with scope(owner_email=world.alice.email, org_id=world.acme.pk):
        world.alice_note = notes.note_create(title="alice's note")
        world.acme_book = notes.notebook_create(name="Acme book")
        world.alice_shared = notes.shared_note_create(
            member=membership(world.alice, world.acme),
            title="alice's shared note",
            body="<p>For everyone</p>",
            notebook_id=world.acme_book.pk,
        )
    with scope(owner_email=world.bob.email, org_id=world.bobco.pk):
        world.bob_note = notes.note_create(title="bob's note")
        world.bobco_book = notes.notebook_create(name="Bobco book")
        world.bob_shared = notes.shared_note_create(
            member=membership(world.bob, world.bobco),
            title="bob's shared note",
            notebook_id=world.bobco_book.pk,
        )
    with scope(owner_email=world.carol.email, org_id=world.acme.pk):
        world.carol_note = notes.note_create(title="carol's note")
    return world
