from django.db.models import QuerySet

from a2a.models import A2ATask


def tasks_for_caller() -> QuerySet[A2ATask]:
    """The caller's tasks, newest first: the scope leaves no one else's."""
    return A2ATask.objects.order_by("-created_at", "-pk")
