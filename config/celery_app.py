"""The Celery app. Workers start with `celery -A config.celery_app worker`."""

import logging
import os
import time
from pathlib import Path

from celery import Celery, signals

from config.log import request_id_var
from webhooks.dispatcher import DispatcherStep

os.environ.setdefault(  # guard: allow-env-write — Celery entry point
    "DJANGO_SETTINGS_MODULE", "config.settings.local"
)

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Every worker queues stored webhook events as they arrive (webhooks/dispatcher.py).
app.steps["worker"].add(DispatcherStep)

logger = logging.getLogger("config.task")
REQUEST_ID_TASK_HEADER = "request_id"


def create_beat_schedule_folder(schedule_filename: str) -> None:
    """beat keeps its schedule in a file, in a folder a fresh checkout lacks (with
    a Redis or RabbitMQ broker nothing else creates it): without it beat exits."""
    Path(schedule_filename).parent.mkdir(parents=True, exist_ok=True)


def create_filesystem_broker_folders(transport_options: dict) -> None:
    """The filesystem broker needs its folders before the first message."""
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if key in transport_options:
            Path(transport_options[key]).mkdir(parents=True, exist_ok=True)


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **kwargs):
    """A task's log lines carry the id of the request that queued it."""
    if headers is not None and request_id_var.get() != "-":
        headers.setdefault(REQUEST_ID_TASK_HEADER, request_id_var.get())


_started: dict[str, tuple[float, object]] = {}


@signals.task_prerun.connect
def _enter_task(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, REQUEST_ID_TASK_HEADER, None) or task_id
    _started[task_id] = (time.perf_counter(), request_id_var.set(request_id))


@signals.task_postrun.connect
def _log_task(task_id=None, task=None, state=None, **kwargs):
    started, token = _started.pop(task_id, (None, None))
    logger.info(
        "task name=%s id=%s state=%s duration_ms=%s",
        task.name,
        task_id,
        state,
        "-" if started is None else f"{(time.perf_counter() - started) * 1000:.1f}",
    )
    if token is not None:
        request_id_var.reset(token)
