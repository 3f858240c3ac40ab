"""A2A tasks: one per SendMessage, private to the calling user in their org."""

import uuid

from django.db import models
from django.utils import timezone

from scoping.models import ScopedModel


class TaskState(models.TextChoices):
    SUBMITTED = "TASK_STATE_SUBMITTED", "Submitted"
    WORKING = "TASK_STATE_WORKING", "Working"
    COMPLETED = "TASK_STATE_COMPLETED", "Completed"
    FAILED = "TASK_STATE_FAILED", "Failed"
    CANCELED = "TASK_STATE_CANCELED", "Canceled"
    REJECTED = "TASK_STATE_REJECTED", "Rejected"


TERMINAL_STATES = (
    TaskState.COMPLETED,
    TaskState.FAILED,
    TaskState.CANCELED,
    TaskState.REJECTED,
)


class A2ATask(ScopedModel):
    """Scoped like any user data: another caller's task does not exist for you."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    context_id = models.CharField(max_length=100)
    state = models.CharField(max_length=32, choices=TaskState.choices)
    action = models.CharField(max_length=100)
    arguments = models.JSONField(default=dict, blank=True)
    # The verified caller: which app's agent asked (the token's `iss`).
    issuer = models.CharField(max_length=255, blank=True)
    request_message = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "A2A task"

    def __str__(self) -> str:
        return f"{self.action} ({self.state})"

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES
