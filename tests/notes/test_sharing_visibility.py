"""A second member of the org sees the notes shared with it, and not the other
members' private notes — through the actions, the pages and agent SQL; a member
of another org sees neither. The database decides: the private table is scoped to
its author, the shared one to the org."""

import json

import pytest
from django.test import Client

from accounts.services import api_token_create
from notes import services
from notes.models import SharedNote
from scoping import agent_sql
from scoping.agent_sql import Refused
from tests.actions.conftest import call
from tests.scopes import as_

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    """Alice also filed her private note in the notebook she shared a note in."""
    with as_(world.alice, world.acme):
        services.note_update(
            note_id=world.alice_note.pk, notebook_id=world.acme_book.pk
        )
    return world


def _ok(user, name, data=None):
    response = call(user, name, data)
    assert response.status_code == 200, response.content
    return response.json()


# --- Actions --------------------------------------------------------------------------


def test_a_second_member_lists_the_shared_notes_not_the_private_ones(world):
    in_the_book = {"notebook": world.acme_book.pk}
    shared = _ok(world.carol, "list-shared-notes", in_the_book)
    assert [(n["title"], n["visibility"]) for n in shared] == [
        ("alice's shared note", "shared")
    ]
    private = _ok(world.carol, "list-notes", in_the_book)
    assert private == []


def test_a_second_member_opens_a_shared_note_not_a_private_one(world):
    shared = _ok(world.carol, "get-shared-note", {"id": world.alice_shared.pk})
    assert (shared["body"], shared["author_email"]) == (
        "<p>For everyone</p>",
        world.alice.email,
    )
    private = call(world.carol, "get-note", {"id": world.alice_note.pk})
    assert private.status_code == 404


def test_a_member_of_another_org_sees_neither(world):
    assert [n["title"] for n in _ok(world.bob, "list-shared-notes")] == [
        "bob's shared note"
    ]
    for name, pk in [
        ("get-shared-note", world.alice_shared.pk),
        ("get-note", world.alice_note.pk),
        ("get-notebook", world.acme_book.pk),
    ]:
        assert call(world.bob, name, {"id": pk}).status_code == 404, name


# --- Pages ----------------------------------------------------------------------------


def test_the_notebook_page_shows_a_member_the_shared_note_not_the_private_one(
    client, world
):
    client.force_login(world.carol)
    page = client.get(f"/notes/notebooks/{world.acme_book.pk}/").content.decode()
    assert f'href="/notes/shared/{world.alice_shared.pk}/"' in page
    assert "alice&#x27;s shared note" in page
    assert "alice&#x27;s note" not in page
    assert f'href="/notes/{world.alice_note.pk}/"' not in page
    # Her own list has her own private note only.
    page = client.get("/notes/").content.decode()
    assert "carol&#x27;s note" in page
    assert "alice&#x27;s note" not in page


def test_a_member_reads_the_shared_note_page(client, world):
    client.force_login(world.carol)
    page = client.get(f"/notes/shared/{world.alice_shared.pk}/").content.decode()
    assert "<p>For everyone</p>" in page
    assert "Shared with Acme in" in page
    assert world.alice.get_full_name() in page


def test_a_private_note_page_is_not_another_members(client, world):
    client.force_login(world.carol)
    response = client.get(f"/notes/{world.alice_note.pk}/", follow=True)
    assert response.redirect_chain == [("/notes/", 302)]
    assert "alice&#x27;s note" not in response.content.decode()


def test_a_member_of_another_org_opens_neither_page(client, world):
    client.force_login(world.bob)
    for url in [
        f"/notes/notebooks/{world.acme_book.pk}/",
        f"/notes/shared/{world.alice_shared.pk}/",
    ]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/notes/"), url


# --- Agent SQL ------------------------------------------------------------------------


def _agent_of(user):
    """An agent with a token of `user`'s: `query(sql, params)` gives the rows."""
    _, secret = api_token_create(user=user, name="agent")
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    def query(sql, params=()):
        body = json.dumps({"sql": sql, "params": list(params)})
        response = client.post(
            "/api/actions/db-query/", body, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response.json()["rows"]

    return query


def test_agent_sql_reads_the_orgs_shared_notes_not_the_other_members_private_ones(
    world,
):
    query = _agent_of(world.carol)
    assert query("SELECT title, author_id FROM notes_sharednote") == [
        ["alice's shared note", world.alice.pk]
    ]
    assert query("SELECT title FROM notes_note") == [["carol's note"]]
    # Not by its id, not through the notebook it is filed in.
    by_id = "SELECT title FROM notes_note WHERE id = ?"
    assert query(by_id, [world.alice_note.pk]) == []
    through_the_notebook = (
        "SELECT n.title FROM notes_notebook b JOIN notes_note n ON n.notebook_id = b.id"
    )
    assert query(through_the_notebook) == []


def test_agent_sql_of_another_org_reads_neither(world):
    query = _agent_of(world.bob)
    assert query("SELECT title FROM notes_sharednote") == [["bob's shared note"]]
    assert query("SELECT title FROM notes_note") == [["bob's note"]]


def test_agent_sql_cannot_move_a_shared_note_into_another_orgs_notebook(world):
    with as_(world.carol, world.acme), pytest.raises(Refused):
        agent_sql.run_exec(
            "UPDATE notes_sharednote SET notebook_id = ?", [world.bobco_book.pk]
        )
    with as_(world.carol, world.acme):
        shared = SharedNote.objects.get(pk=world.alice_shared.pk)
    assert shared.notebook_id == world.acme_book.pk
