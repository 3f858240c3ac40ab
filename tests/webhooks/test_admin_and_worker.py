"""The admin shows and reprocesses events; a real worker processes a signed delivery."""

import subprocess
import time
import uuid

import pytest
from django.conf import settings as django_settings

from tests.factories import UserFactory
from tests.processes import BASE_DIR, VENV_BIN, clean_env, test_database_url
from tests.webhooks.conftest import post, stop_worker
from tests.webhooks.providers import BY_NAME, PROVIDERS, signed
from webhooks.models import WebhookEvent


@pytest.mark.django_db
def test_admin_lists_filters_pretty_prints_and_reprocesses(client, celery_eager):
    provider = BY_NAME["slack"]
    body, headers = signed(provider)
    post(client, provider, body, headers)
    event = WebhookEvent.objects.get()
    WebhookEvent.objects.update(status="dead", attempts=8, last_error="boom")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/webhooks/webhookevent/", {"status__exact": "dead"})
    assert "slack" in listing.content.decode()
    page = client.get(
        f"/admin/webhooks/webhookevent/{event.pk}/change/"
    ).content.decode()
    assert "&quot;type&quot;: &quot;message&quot;" in page  # indented JSON, escaped
    client.post(
        "/admin/webhooks/webhookevent/",
        {"action": "reprocess", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("processed", 1)


@pytest.fixture(scope="module")
def worker(tmp_path_factory, resend_api, django_db_setup, django_db_blocker):
    """The same worker as `make run`, on the configured broker, on its own queue."""
    queue = f"webhooks-{uuid.uuid4().hex}"
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    with django_db_blocker.unblock():
        database_url = test_database_url()
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=django_settings.CELERY_BROKER_URL,
        # The worker's dispatcher queues what the tests store, on the worker's queue.
        WEBHOOK_QUEUE=queue,
        RESEND_API_URL=resend_api.url,
        RESEND_API_KEY="re_test_key",
    )
    process = subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config.celery_app",
            "worker",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            f"--queues={queue}",
            "--loglevel=INFO",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    yield queue, log_path
    stop_worker(process)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_a_worker_process_handles_each_providers_signed_delivery(
    client, settings, worker, provider
):
    _, log_path = worker
    body, headers = signed(provider)
    assert post(client, provider, body, headers).status_code == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        event = WebhookEvent.objects.get()
        if event.status == "processed":
            break
        time.sleep(0.1)
    assert event.status == "processed", log_path.read_text()[-3000:]
    assert event.attempts == 1
