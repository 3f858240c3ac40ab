"""/healthz tells a load balancer whether the database and broker are reachable."""

import pytest

pytestmark = pytest.mark.django_db

# Nothing listens on port 9 (discard) here: a real refused connection.
DOWN_BROKERS = ["redis://127.0.0.1:9/0", "amqp://guest:guest@127.0.0.1:9//"]


def test_ok_without_authentication(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("broker_url", DOWN_BROKERS)
def test_503_naming_the_broker_when_it_is_down(client, settings, broker_url):
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_503_when_the_filesystem_broker_folder_is_gone(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing"),
        "data_folder_out": str(tmp_path / "missing"),
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db(transaction=True)
def test_503_naming_the_database_when_it_is_down(client, database_outage):
    database_outage.begin()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "ok"}


def test_leaks_no_versions_or_hosts(client, settings):
    settings.CELERY_BROKER_URL = "redis://user:hunter2-password@127.0.0.1:9/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    body = client.get("/healthz").content.decode()
    for leak in ("127.0.0.1", "hunter2", "redis", "Django", "PostgreSQL", "sqlite"):
        assert leak not in body


def test_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_concurrent_probes_of_the_filesystem_broker_all_succeed(settings, tmp_path):
    """Load balancers and several threads probe at once; no probe trips another."""
    from concurrent.futures import ThreadPoolExecutor

    from config import health

    (tmp_path / "queue").mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
    }
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: health.broker_is_up(), range(2000)))
    assert all(results)
    assert not list((tmp_path / "queue").iterdir())  # no probe file left behind
