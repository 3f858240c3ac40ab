"""The runner's rules, for any action: public ones, the authorize hook, rollback."""

import pytest
from rest_framework import serializers

from actions import runner
from actions.registry import Action
from config.errors import NotAuthenticated, PermissionDenied
from notes.models import Note
from scoping.scopes import unscoped

pytestmark = pytest.mark.django_db


class Echo(serializers.Serializer):
    word = serializers.CharField(max_length=10)


class PublicEcho(Action):
    name = "public-echo"
    description = "Says the word back; needs no sign-in."
    input = Echo
    read_only = True
    requires_auth = False

    def run(self, ctx, data):
        return {"word": data["word"], "notes_seen": Note.objects.count()}


class GuardedNote(Action):
    name = "guarded-note"
    description = "Creates a note, then refuses in authorize or fails in run."
    input = Echo
    org_role = "member"

    def authorize(self, ctx, data):
        if data["word"] == "no":
            raise PermissionDenied("Not that word.")

    def run(self, ctx, data):
        Note.objects.create(title=data["word"])
        if data["word"] == "boom":
            raise PermissionDenied("Changed my mind after writing.")
        return {"ok": True}


def _as(world, user="alice"):
    user = getattr(world, user)
    membership = user.memberships.select_related("org").first()
    return {"user": user, "caller": "task", "org_id": membership.org_id}


def test_a_public_action_runs_without_identity_and_sees_no_scoped_rows(world):
    result = runner.call(PublicEcho(), {"word": "hi"}, user=None, caller="task")
    assert result == {"word": "hi", "notes_seen": 0}


def test_a_private_action_needs_identity(world):
    with pytest.raises(NotAuthenticated):
        runner.call(GuardedNote(), {"word": "x"}, user=None, caller="task")


def test_authorize_refuses_before_run(world):
    with pytest.raises(PermissionDenied, match="Not that word"):
        runner.call(GuardedNote(), {"word": "no"}, **_as(world))
    with unscoped(reason="test"):
        assert not Note.objects.filter(title="no").exists()


def test_a_failure_in_run_rolls_back_what_it_wrote(world):
    with pytest.raises(PermissionDenied):
        runner.call(GuardedNote(), {"word": "boom"}, **_as(world))
    with unscoped(reason="test"):
        assert not Note.objects.filter(title="boom").exists()


def test_success_writes_in_the_callers_scope(world):
    runner.call(GuardedNote(), {"word": "yes"}, **_as(world, "carol"))
    with unscoped(reason="test"):
        note = Note.objects.get(title="yes")
    assert (note.owner_email, note.org_id) == (world.carol.email, world.acme.pk)
