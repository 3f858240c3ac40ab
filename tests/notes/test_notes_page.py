"""/notes/: list, create, edit, delete, through the same actions agents call."""

import pytest

from accounts.models import AuditEvent
from notes.models import Note, Notebook
from scoping.scopes import unscoped
from tests.actions.conftest import call
from tests.scopes import as_

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, world):
    client.force_login(world.alice)
    return client


def test_the_header_and_the_dashboard_link_to_the_notes(alice_client):
    page = alice_client.get("/").content.decode()
    assert page.count('href="/notes/"') == 2


def test_lists_only_the_users_notes_and_the_orgs_notebooks(alice_client):
    page = alice_client.get("/notes/").content.decode()
    assert "alice&#x27;s note" in page
    assert "carol&#x27;s note" not in page
    assert "Acme book" in page
    assert "Bobco book" not in page


def test_create_goes_through_the_action(alice_client, world):
    response = alice_client.post("/notes/", {"title": "From the page", "body": "hi"})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="note.created").latest("id")
    assert (event.caller, event.actor) == ("http", world.alice)
    with unscoped(reason="test"):
        assert Note.objects.get(title="From the page").owner_email == world.alice.email


def test_field_errors_show_next_to_the_field(alice_client):
    response = alice_client.post("/notes/", {"title": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]


def test_edit_and_preview_is_sanitized_even_for_agent_written_html(alice_client, world):
    call(
        world.alice,
        "db-exec",
        {
            "sql": "UPDATE notes_note SET body = ?",
            "params": ['<img src=x onerror="alert(1)"><b>ok</b>'],
        },
    )
    page = alice_client.get(f"/notes/{world.alice_note.pk}/").content.decode()
    assert "onerror" not in page.split("Preview")[1]
    assert "<b>ok</b>" in page
    response = alice_client.post(
        f"/notes/{world.alice_note.pk}/", {"title": "Renamed", "body": "x"}
    )
    assert response.status_code == 302
    with unscoped(reason="test"):
        assert Note.objects.get(pk=world.alice_note.pk).title == "Renamed"


def test_someone_elses_note_is_not_found(alice_client, world):
    response = alice_client.get(f"/notes/{world.carol_note.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/notes/"


def test_delete(alice_client, world):
    alice_client.post(f"/notes/{world.alice_note.pk}/delete/")
    with unscoped(reason="test"):
        assert not Note.objects.filter(pk=world.alice_note.pk).exists()


def test_create_a_notebook(alice_client, world):
    alice_client.post("/notes/notebooks/", {"name": "Shared plans"})
    with as_(world.carol, world.acme):
        assert Notebook.objects.filter(name="Shared plans").exists()
