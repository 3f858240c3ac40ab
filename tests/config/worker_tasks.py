"""Tasks for the worker tests: one leaves a trace in the database, one fails."""

from celery import shared_task
from django.contrib.auth.models import Group


@shared_task
def create_group(name: str) -> None:
    Group.objects.create(name=name)


@shared_task
def fail(marker: str, note: str = "") -> None:
    """Fail, for the error-report test; `marker` names the failure, `note` stands
    for what a user wrote (it must not reach the report)."""
    raise RuntimeError(f"task failed: {marker}")
