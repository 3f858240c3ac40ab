"""A Celery task with the scoping base runs in exactly the scope of the ids it gets."""

import pytest
from celery import shared_task

from scoping.tasks import ScopedTask
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db


@shared_task(base=ScopedTask)
def titles_in_scope(*, user_id, org_id):
    return sorted(Memo.objects.values_list("title", flat=True))


def test_a_task_sees_exactly_its_scope(world, celery_eager):
    alice = titles_in_scope.delay(user_id=world.alice.pk, org_id=str(world.acme.pk))
    bob = titles_in_scope.delay(user_id=world.bob.pk, org_id=str(world.bobco.pk))
    assert alice.get() == ["alice's memo"]
    assert bob.get() == ["bob's memo"]


def test_a_task_for_an_org_the_user_is_not_in_is_refused(world, celery_eager):
    with pytest.raises(PermissionError):
        titles_in_scope.delay(user_id=world.alice.pk, org_id=str(world.bobco.pk)).get()


def test_a_task_outside_any_scope_sees_nothing(world):
    assert Memo.objects.count() == 0


@shared_task(base=ScopedTask)
def memo_from_a_task(*, user_id, org_id):
    from tests.testapp import services

    return services.memo_create(title="from a task").pk


def test_a_tasks_changes_are_audited_as_its_users_in_its_org(world, celery_eager):
    from accounts.models import AuditEvent

    memo_from_a_task.delay(user_id=world.carol.pk, org_id=str(world.acme.pk)).get()
    event = AuditEvent.objects.filter(action="memo.created").latest("id")
    assert (event.actor, event.org_id, event.caller) == (
        world.carol,
        world.acme.pk,
        "task",
    )
