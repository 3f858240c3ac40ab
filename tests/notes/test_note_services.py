"""The example's services: sanitized bodies, scoped rows, clear errors."""

import pytest

from config.errors import InvalidInput, NotFound
from notes import services
from notes.models import Note
from tests.notes.conftest import membership
from tests.scopes import as_

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("html", "clean"),
    [
        ("<p>Hello <strong>you</strong></p>", "<p>Hello <strong>you</strong></p>"),
        ("<script>alert(1)</script>ok", "alert(1)ok"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<img src=x onerror="alert(1)">', ""),
        ('<p onclick="steal()">hi</p>', "<p>hi</p>"),
        (
            '<a href="https://example.com" target="_blank">x</a>',
            '<a href="https://example.com">x</a>',
        ),
    ],
)
def test_bodies_are_sanitized(world, html, clean):
    with as_(world.alice, world.acme):
        assert services.note_create(title="t", body=html).body == clean


def test_a_blank_title_is_a_field_error(world):
    with as_(world.alice, world.acme), pytest.raises(InvalidInput) as error:
        services.note_create(title="  ")
    assert error.value.fields == {"title": ["This field may not be blank."]}


def test_another_users_note_is_not_found(world):
    with as_(world.alice, world.acme), pytest.raises(NotFound):
        services.note_update(note_id=world.carol_note.pk, title="mine now")


def test_a_note_goes_only_into_a_notebook_the_scope_sees(world):
    with as_(world.alice, world.acme), pytest.raises(InvalidInput):
        services.note_create(title="t", notebook_id=world.bobco_book.pk)
    with as_(world.alice, world.acme):
        note = services.note_create(title="t", notebook_id=world.acme_book.pk)
        assert note.notebook == world.acme_book


def test_deleting_a_notebook_unfiles_every_members_notes(world):
    with as_(world.carol, world.acme):
        services.note_update(
            note_id=world.carol_note.pk, notebook_id=world.acme_book.pk
        )
    with as_(world.alice, world.acme):
        services.notebook_delete(
            member=membership(world.alice, world.acme), notebook_id=world.acme_book.pk
        )
    with as_(world.carol, world.acme):
        assert Note.objects.get(pk=world.carol_note.pk).notebook is None


def test_a_notebook_of_another_org_cannot_be_deleted(world):
    with as_(world.alice, world.acme), pytest.raises(NotFound):
        services.notebook_delete(
            member=membership(world.alice, world.acme), notebook_id=world.bobco_book.pk
        )
