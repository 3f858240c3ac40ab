from celery import shared_task

from a2a import services
from a2a.models import A2ATask
from config.context import A2A, current_context
from scoping.tasks import ScopedTask


@shared_task(base=ScopedTask, caller=A2A, acks_late=True, reject_on_worker_lost=True)
def run_a2a_task(task_id: str, *, user_id, org_id, issuer: str = "") -> None:
    """Run a task queued with `returnImmediately`, in its caller's Context (the
    calling app, `issuer`, is in it: ScopedTask put it there)."""
    task = A2ATask.objects.filter(pk=task_id).first()
    if task is None:
        return
    services.task_run(task=task, ctx=current_context())
