"""The pages say which notes are private and which shared, and let each person do
what the services allow: write either kind, share a private note, make a shared
note private again, delete as the role permits."""

import pytest

from accounts.models import AuditEvent
from notes.models import Note, Notebook, SharedNote
from scoping.scopes import unscoped
from tests.actions.conftest import erin  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def signed_in(user):
        client.force_login(user)
        return client

    return signed_in


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response
    return response.content.decode()


def _stored(model, **lookups):
    with unscoped(reason="test: the rows as stored"):
        return list(model.objects.filter(**lookups))


# --- Saying which ---------------------------------------------------------------------


def test_the_list_says_private_and_opens_each_notebook(as_user, world):
    page = _page(as_user(world.alice), "/notes/")
    assert "Private — only you can see these" in page
    assert '<span class="badge">Private</span>' in page
    assert f'href="/notes/notebooks/{world.acme_book.pk}/"' in page
    assert "Everyone in Acme, in the notebook above" in page


def test_a_private_notes_page_says_so_and_offers_to_share(as_user, world):
    page = _page(as_user(world.alice), f"/notes/{world.alice_note.pk}/")
    assert "<strong>Private:</strong> only you can see this." in page
    assert f'action="/notes/{world.alice_note.pk}/share/"' in page
    assert "Share with Acme" in page


def test_a_shared_notes_page_names_its_author_org_and_notebook(as_user, world):
    page = _page(as_user(world.carol), f"/notes/shared/{world.alice_shared.pk}/")
    assert "<strong>Shared with Acme in" in page
    assert ">Acme book</a>:</strong> every member can read it." in page
    assert f"Written by {world.alice.get_full_name()}" in page


# --- Writing and moving ---------------------------------------------------------------


def test_the_new_note_form_writes_a_shared_note(as_user, world):
    response = as_user(world.alice).post(
        "/notes/",
        {
            "title": "For all",
            "body": "<p>hi</p>",
            "notebook": world.acme_book.pk,
            "visibility": "shared",
        },
    )
    [shared] = _stored(SharedNote, title="For all")
    assert response["Location"] == f"/notes/shared/{shared.pk}/"
    assert (shared.author_id, shared.notebook_id) == (
        world.alice.pk,
        world.acme_book.pk,
    )
    assert _stored(Note, title="For all") == []


def test_sharing_without_a_notebook_asks_for_one(as_user, world):
    response = as_user(world.alice).post(
        "/notes/", {"title": "For all", "visibility": "shared"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["notebook"] == [
        "Choose the notebook to share it in."
    ]
    assert _stored(SharedNote, title="For all") == []


def test_sharing_from_the_notes_page_moves_it(as_user, world):
    client = as_user(world.alice)
    response = client.post(
        f"/notes/{world.alice_note.pk}/share/", {"share-notebook": world.acme_book.pk}
    )
    [shared] = _stored(SharedNote, title="alice's note")
    assert response["Location"] == f"/notes/shared/{shared.pk}/"
    assert _stored(Note, pk=world.alice_note.pk) == []
    page = _page(client, response["Location"])
    assert "Your note is shared with Acme in Acme book" in page


def test_its_author_makes_a_shared_note_private_again(as_user, world):
    client = as_user(world.alice)
    page = _page(client, f"/notes/shared/{world.alice_shared.pk}/")
    assert "Make private" in page
    response = client.post(f"/notes/shared/{world.alice_shared.pk}/unshare/")
    [note] = _stored(Note, title="alice's shared note")
    assert response["Location"] == f"/notes/{note.pk}/"
    assert "<strong>Private:</strong> only you can see this." in _page(
        client, response["Location"]
    )
    assert _stored(SharedNote, pk=world.alice_shared.pk) == []


def test_its_author_edits_a_shared_note(as_user, world):
    client = as_user(world.alice)
    response = client.post(
        f"/notes/shared/{world.alice_shared.pk}/",
        {"title": "Renamed", "body": "<b>b</b>", "notebook": world.acme_book.pk},
    )
    assert response["Location"] == f"/notes/shared/{world.alice_shared.pk}/"
    [shared] = _stored(SharedNote, pk=world.alice_shared.pk)
    assert (shared.title, shared.body) == ("Renamed", "<b>b</b>")


# --- What each may do -----------------------------------------------------------------


def test_a_member_reads_anothers_shared_note_but_cannot_change_it(as_user, world):
    client = as_user(world.carol)
    page = _page(client, f"/notes/shared/{world.alice_shared.pk}/")
    assert 'name="title"' not in page
    assert "Make private" not in page
    assert "Delete for everyone" not in page
    response = client.post(
        f"/notes/shared/{world.alice_shared.pk}/",
        {"title": "Mine now", "notebook": world.acme_book.pk},
        follow=True,
    )
    assert "Only its author can change a shared note." in response.content.decode()
    assert _stored(SharedNote, pk=world.alice_shared.pk)[0].title == (
        "alice's shared note"
    )


def test_an_admin_may_delete_anothers_shared_note_not_edit_it(
    as_user,
    world,
    erin,  # noqa: F811
):
    client = as_user(erin)
    page = _page(client, f"/notes/shared/{world.alice_shared.pk}/")
    assert 'name="title"' not in page
    assert "Delete for everyone" in page
    response = client.post(f"/notes/shared/{world.alice_shared.pk}/delete/")
    assert response["Location"] == "/notes/"
    assert _stored(SharedNote, pk=world.alice_shared.pk) == []


def test_a_member_cannot_delete_a_notebook_holding_anothers_note(as_user, world):
    client = as_user(world.carol)
    book = f"/notes/notebooks/{world.acme_book.pk}/"
    assert "Delete notebook" not in _page(client, book)
    response = client.post(book + "delete/", follow=True)
    assert response.redirect_chain == [(book, 302)]
    assert "only an admin or an owner can delete it" in response.content.decode()
    assert _stored(Notebook, pk=world.acme_book.pk) != []


def test_an_admin_deletes_a_notebook_with_its_shared_notes(
    as_user,
    world,
    erin,  # noqa: F811
):
    client = as_user(erin)
    book = f"/notes/notebooks/{world.acme_book.pk}/"
    page = _page(client, book)
    assert "and the 1 note shared in it?" in page
    assert client.post(book + "delete/")["Location"] == "/notes/"
    assert _stored(Notebook, pk=world.acme_book.pk) == []
    assert _stored(SharedNote, pk=world.alice_shared.pk) == []
    event = AuditEvent.objects.get(action="notebook.deleted")
    assert (event.caller, event.actor) == ("http", erin)


def test_without_an_org_the_pages_send_you_to_the_list(client, settings):
    settings.ORGS_AUTO_CREATE_DEFAULT_ORG = False
    client.force_login(UserFactory(email="loner@example.com"))
    for url in ["/notes/1/", "/notes/shared/1/", "/notes/notebooks/1/"]:
        assert client.get(url)["Location"] == "/notes/", url
    assert "Create or join one" in _page(client, "/notes/")
