from celery import shared_task

from a2a import services
from a2a.models import A2ATask
from actions.registry import Context
from orgs.models import Membership
from scoping.tasks import ScopedTask


@shared_task(base=ScopedTask, acks_late=True, reject_on_worker_lost=True)
def run_a2a_task(task_id: str, *, user_id, org_id) -> None:
    """Run a task queued with `returnImmediately`, in its caller's scope."""
    task = A2ATask.objects.filter(pk=task_id).first()
    if task is None:
        return
    membership = Membership.objects.select_related("org", "user").get(
        user_id=user_id, org_id=org_id
    )
    ctx = Context(
        user=membership.user,
        org=membership.org,
        membership=membership,
        caller="a2a",
        issuer=task.issuer,
    )
    services.task_run(task=task, ctx=ctx)
