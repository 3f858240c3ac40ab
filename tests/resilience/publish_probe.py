"""Counts, in the shared cache, each time a process queues a webhook event for
processing (`scale:queued:<event id>`): the scale-out test's view of how often the
dispatchers and the sweeper queued each event, whichever process did it."""

from celery.signals import before_task_publish
from django.apps import AppConfig

TASK = "webhooks.tasks.process_webhook_event"


def queued_key(event_id: int) -> str:
    return f"scale:queued:{event_id}"


def _count(sender=None, body=None, **kwargs) -> None:
    if sender != TASK:
        return
    from django.core.cache import cache

    args = body[0] if isinstance(body, list | tuple) else body["args"]
    key = queued_key(args[0])
    cache.add(key, 0, timeout=3600)
    cache.incr(key)


class PublishProbeConfig(AppConfig):
    name = "tests.resilience.publish_probe"
    label = "publish_probe"

    def ready(self):
        before_task_publish.connect(_count, weak=False)
