"""The example app's tests: delete this folder together with notes/."""

import pytest


@pytest.fixture
def world(world):
    """The shared world, plus a private note each and a notebook per org."""
    from notes import services as notes
    from scoping.scopes import scope

    with scope(owner_email=world.alice.email, org_id=world.acme.pk):
        world.alice_note = notes.note_create(title="alice's note")
        world.acme_book = notes.notebook_create(name="Acme book")
    with scope(owner_email=world.bob.email, org_id=world.bobco.pk):
        world.bob_note = notes.note_create(title="bob's note")
        world.bobco_book = notes.notebook_create(name="Bobco book")
    with scope(owner_email=world.carol.email, org_id=world.acme.pk):
        world.carol_note = notes.note_create(title="carol's note")
    return world
