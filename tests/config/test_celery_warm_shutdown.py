"""SIGTERM to a Celery worker (what a deploy or a scale-down sends) is a warm
shutdown: the task it is running finishes and its write is kept; then it exits
cleanly."""

import signal
import uuid

import pytest
from django.contrib.auth.models import Group

from tests.processes import start_worker, wait_until
from tests.testapp.tasks import slow_group_create

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_sigterm_lets_the_running_task_finish(tmp_path):
    queue = f"test-{uuid.uuid4().hex}"
    name = f"warm-shutdown-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    worker = start_worker(queue, log_path)
    try:
        slow_group_create.apply_async(args=[name], queue=queue)
        running = wait_until(
            lambda: Group.objects.filter(name=f"{name}-started").exists()
        )
        assert running, (
            f"the task did not start; the worker's log:\n{log_path.read_text()}"
        )
        assert not Group.objects.filter(name=name).exists()  # still running
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    log = log_path.read_text()
    assert worker.returncode == 0, log
    assert Group.objects.filter(name=name).exists(), log
    assert "state=SUCCESS" in log
