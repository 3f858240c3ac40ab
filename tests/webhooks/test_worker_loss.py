"""A worker killed mid-task loses nothing: the event is handed out again and processed
exactly once."""

import os
import signal
import subprocess
import uuid

import pytest
from django.conf import settings as django_settings

from tests.processes import BASE_DIR, VENV_BIN, clean_env, test_database_url, wait_until
from tests.webhooks.conftest import post, stop_worker
from tests.webhooks.providers import BY_NAME, signed
from webhooks.models import WebhookEvent
from webhooks.tasks import sweep_webhook_events

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_task_loses_nothing(client, settings, tmp_path):
    queue = f"webhooks-{uuid.uuid4().hex}"
    settings.WEBHOOKS_QUEUE = queue
    settings.WEBHOOKS_PROCESSING_LEASE_SECONDS = 2
    log = (tmp_path / "worker.log").open("w")
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=test_database_url(),
        CELERY_BROKER_URL=django_settings.CELERY_BROKER_URL,
        WEBHOOK_QUEUE=queue,  # its dispatcher queues the event on this queue
        WEBHOOK_PROCESSING_LEASE_SECONDS="2",
        WORKER_LOSS_STATE=str(tmp_path),
    )
    worker = subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config.celery_app",
            "worker",
            "--concurrency=1",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            f"--queues={queue}",
            "--include=tests.webhooks.slow_handler",
            "--loglevel=INFO",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        provider = BY_NAME["slack"]
        body, headers = signed(provider)
        assert post(client, provider, body, headers).status_code == 200
        # A worker's start is slow on a loaded CI machine (two suites share 2 cores).
        started = wait_until(lambda: (tmp_path / "started").exists(), seconds=180)
        assert started, (tmp_path / "worker.log").read_text()[-3000:]
        assert WebhookEvent.objects.get().status == "processing"

        children = subprocess.run(
            ["pgrep", "-P", str(worker.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        assert children, "no pool process to kill"
        for child in children:
            os.kill(int(child), signal.SIGKILL)  # mid-task, no chance to clean up

        # The claim's lease runs out; whichever comes first, the redelivered message
        # or the sweeper, hands the event out again.
        def processed():
            sweep_webhook_events.run()
            return WebhookEvent.objects.get().status == "processed"

        assert wait_until(processed), (tmp_path / "worker.log").read_text()[-3000:]
        event = WebhookEvent.objects.get()
        assert event.attempts >= 2
        assert (tmp_path / "processed").read_text().splitlines() == [event.event_id]
    finally:
        stop_worker(worker)
