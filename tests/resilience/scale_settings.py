"""Settings for the scale-out test's processes: the test settings, with beat's sweep
every second (so it races the workers' dispatchers within the test's run), every
task on the test's own queue, and a probe that counts what is queued."""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS

_QUEUE = globals().get("WEBHOOKS_QUEUE", "webhooks")

INSTALLED_APPS = [*INSTALLED_APPS, "tests.resilience.publish_probe.PublishProbeConfig"]
CELERY_TASK_DEFAULT_QUEUE = _QUEUE
CELERY_BEAT_SCHEDULE = {
    "sweep-webhook-events": {
        "task": "webhooks.tasks.sweep_webhook_events",
        "schedule": 1.0,
    },
}
