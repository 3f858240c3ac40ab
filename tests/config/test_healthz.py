"""/healthz is liveness only: 200 while the process answers, whatever the state of
the database, the broker or the cache (an outage there must not get every healthy
process restarted at once; /readyz reports those)."""

import pytest

from tests.config.test_readyz import DOWN_CACHE

pytestmark = pytest.mark.django_db


def test_ok_without_authentication_or_any_backing_service(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_ok_with_the_database_broker_and_cache_all_down(
    client, settings, database_outage
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.CACHES = DOWN_CACHE
    database_outage.begin()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_only_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_skip_the_https_redirect(client, settings, path):
    """Load balancers probe over plain HTTP inside the network."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(path).status_code == 200
    assert client.get("/").status_code == 301
