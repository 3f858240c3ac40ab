"""/readyz tells a load balancer whether this process can serve: its database, its
broker and its shared cache all answer; else 503 naming the part(s) that did not."""

import pytest

from tests.hangs import get_unless_hung, silent_port

pytestmark = pytest.mark.django_db

# Nothing listens on port 9 (discard) here: a real refused connection.
DOWN_BROKERS = ["redis://127.0.0.1:9/0", "amqp://guest:guest@127.0.0.1:9//"]
DOWN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }
}
ALL_OK = {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


def test_ok_without_authentication(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == ALL_OK
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("broker_url", DOWN_BROKERS)
def test_503_naming_the_broker_when_it_is_down(client, settings, broker_url):
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "status": "error", "broker": "error"}


def test_503_when_the_filesystem_broker_folder_is_gone(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing"),
        "data_folder_out": str(tmp_path / "missing"),
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db(transaction=True)
def test_503_naming_the_database_when_it_is_down(client, database_outage):
    database_outage.begin()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "status": "error", "database": "error"}


def test_503_naming_the_cache_when_it_is_down(client, settings):
    settings.CACHES = DOWN_CACHE
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "status": "error", "cache": "error"}


def test_503_when_the_cache_keeps_nothing(client, settings):
    """A cache that drops writes would let every rate limit and replay check pass."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


@pytest.mark.django_db(transaction=True)
def test_503_naming_every_part_that_is_down(client, settings, database_outage):
    settings.CELERY_BROKER_URL = DOWN_BROKERS[0]
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.CACHES = DOWN_CACHE
    database_outage.begin()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "broker": "error",
        "cache": "error",
    }


def test_leaves_no_key_in_the_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "readyz-leaves-nothing",
        }
    }
    from django.core.cache import cache

    assert client.get("/readyz").status_code == 200
    assert not cache._cache  # the probe's key went with the probe


def test_leaks_no_versions_or_hosts(client, settings):
    settings.CELERY_BROKER_URL = "redis://user:hunter2-password@127.0.0.1:9/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.CACHES = {
        "default": {
            **DOWN_CACHE["default"],
            "LOCATION": "redis://user:hunter2-password@127.0.0.1:9/0",
        }
    }
    body = client.get("/readyz").content.decode()
    for leak in ("127.0.0.1", "hunter2", "redis", "Django", "PostgreSQL", "sqlite"):
        assert leak not in body


def test_only_get(client):
    assert client.post("/readyz").status_code == 405


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


@pytest.mark.slow
def test_a_cache_that_never_answers_is_a_503_after_its_timeout(client, settings):
    """A Redis that takes the connection and then says nothing must not hold the
    probe's thread until the OS gives up (redis-py gives up after 5 s unless the
    URL says otherwise, `?socket_timeout=2`)."""
    with silent_port() as port:
        settings.CACHES = {
            "default": {
                **DOWN_CACHE["default"],
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        response = get_unless_hung(client, "/readyz", seconds=30)
        assert response is not None, "the probe was still waiting for the cache"
    assert response.status_code == 503
    assert response.json()["cache"] == "error"
