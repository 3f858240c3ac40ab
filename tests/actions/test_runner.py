"""The runner's rules, for any action: public ones, the authorize hook, rollback."""

import pytest
from rest_framework import serializers

from actions import runner
from actions.registry import Action, Context
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


def _ctx(world, user="alice"):
    user = getattr(world, user)
    membership = user.memberships.select_related("org").first()
    return Context(user=user, org=membership.org, membership=membership)


def test_a_public_action_runs_without_identity_and_sees_no_scoped_rows(world):
    result = runner.execute(PublicEcho(), Context(), {"word": "hi"})
    assert result == {"word": "hi", "memos_seen": 0}


def test_a_private_action_needs_identity(world):
    with pytest.raises(NotAuthenticated):
        runner.execute(GuardedMemo(), Context(), {"word": "x"})


def test_authorize_refuses_before_run(world):
    with pytest.raises(PermissionDenied, match="Not that word"):
        runner.execute(GuardedMemo(), _ctx(world), {"word": "no"})
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="no").exists()


def test_a_failure_in_run_rolls_back_what_it_wrote(world):
    with pytest.raises(PermissionDenied):
        runner.execute(GuardedMemo(), _ctx(world), {"word": "boom"})
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="boom").exists()


def test_success_writes_in_the_callers_scope(world):
    runner.execute(GuardedMemo(), _ctx(world, "carol"), {"word": "yes"})
    with unscoped(reason="test"):
        memo = Memo.objects.get(title="yes")
    assert (memo.owner_email, memo.org_id) == (world.carol.email, world.acme.pk)
