"""The test app's task, for tests that run a real Celery worker."""

import time

from celery import shared_task
from django.contrib.auth.models import Group

SLOW_TASK_SECONDS = 2


@shared_task
def slow_group_create(name: str) -> None:
    """Stores group `<name>-started`, works SLOW_TASK_SECONDS, then stores `name`:
    a test sees the task running, and whether it finished."""
    Group.objects.create(name=f"{name}-started")
    time.sleep(SLOW_TASK_SECONDS)
    Group.objects.create(name=name)
