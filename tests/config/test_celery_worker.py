import uuid

import pytest
from django.contrib.auth.models import Group

from config.log import request_id_var
from tests.config.worker_tasks import create_group
from tests.processes import start_worker, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_worker_executes_a_task_against_the_database(tmp_path):
    queue = f"test-{uuid.uuid4().hex}"
    name = f"made-by-worker-{uuid.uuid4().hex}"
    request_id = f"req-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    worker = start_worker(queue, log_path)
    try:
        token = request_id_var.set(request_id)
        try:
            create_group.apply_async(args=[name], queue=queue)
        finally:
            request_id_var.reset(token)

        done = wait_until(lambda: Group.objects.filter(name=name).exists())
        log = log_path.read_text()
        assert done, f"the worker did not run the task; its log:\n{log}"
        # One line per task, stamped with the id of the request that queued it.
        assert wait_until(lambda: "task name=" in log_path.read_text(), 10)
        task_lines = [
            line
            for line in log_path.read_text().splitlines()
            if "task name=tests.config.worker_tasks.create_group" in line
        ]
        assert len(task_lines) == 1
        assert f"[{request_id}]" in task_lines[0]
        assert "state=SUCCESS" in task_lines[0]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
