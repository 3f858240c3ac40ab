"""The runner's rules, for any action: public ones, the authorize hook, rollback."""

import pytest
from rest_framework import serializers

from actions import runner
from actions.registry import Action
from config.errors import NotAuthenticated, PermissionDenied
from scoping.scopes import unscoped
from tests.testapp.models import Memo

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
        return {"word": data["word"], "memos_seen": Memo.objects.count()}


class GuardedMemo(Action):
    name = "guarded-memo"
    description = "Creates a memo, then refuses in authorize or fails in run."
    input = Echo
    org_role = "member"

    def authorize(self, ctx, data):
        if data["word"] == "no":
            raise PermissionDenied("Not that word.")

    def run(self, ctx, data):
        Memo.objects.create(title=data["word"])
        if data["word"] == "boom":
            raise PermissionDenied("Changed my mind after writing.")
        return {"ok": True}


def _as(world, user="alice"):
    user = getattr(world, user)
    membership = user.memberships.select_related("org").first()
    return {"user": user, "caller": "task", "org_id": membership.org_id}


def test_a_public_action_runs_without_identity_and_sees_no_scoped_rows(world):
    result = runner.call(PublicEcho(), {"word": "hi"}, user=None, caller="task")
    assert result == {"word": "hi", "memos_seen": 0}


def test_a_private_action_needs_identity(world):
    with pytest.raises(NotAuthenticated):
        runner.call(GuardedMemo(), {"word": "x"}, user=None, caller="task")


def test_authorize_refuses_before_run(world):
    with pytest.raises(PermissionDenied, match="Not that word"):
        runner.call(GuardedMemo(), {"word": "no"}, **_as(world))
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="no").exists()


def test_a_failure_in_run_rolls_back_what_it_wrote(world):
    with pytest.raises(PermissionDenied):
        runner.call(GuardedMemo(), {"word": "boom"}, **_as(world))
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="boom").exists()


def test_success_writes_in_the_callers_scope(world):
    runner.call(GuardedMemo(), {"word": "yes"}, **_as(world, "carol"))
    with unscoped(reason="test"):
        memo = Memo.objects.get(title="yes")
    assert (memo.owner_email, memo.org_id) == (world.carol.email, world.acme.pk)
