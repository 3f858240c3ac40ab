"""The runner limits each caller's rate per action, whichever way the call came in:
HTTP, A2A, the CLI and tasks share one count."""

import threading
import time
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from a2a.rpc import RATE_LIMITED
from actions import registry, runner, throttling
from config.errors import Throttled
from tests.a2a.conftest import SECRET as A2A_SECRET
from tests.a2a.test_protocol import send
from tests.actions.conftest import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    action = registry.get("create-memo")
    monkeypatch.setattr(type(action), "throttle_rate", "3/min")
    return action


def _from_a_task(world):
    return runner.call(
        registry.get("create-memo"),
        {"title": "task"},
        user=world.alice,
        caller="task",
        org_id=world.acme.pk,
    )


def _from_the_cli(world):
    err = StringIO()
    try:
        call_command(
            *("action", "create-memo", "--as", world.alice.email),
            *("--field", "title", "cli"),
            stdout=StringIO(),
            stderr=err,
        )
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, ""


def test_every_entrance_counts_against_one_rate(
    client, world, three_a_minute, settings
):
    settings.A2A_SECRET = A2A_SECRET
    settings.APP_URL = "http://testserver"
    assert call(world.alice, "create-memo", {"title": "http"}).status_code == 200
    a2a = send(client, world.alice, "create-memo", {"title": "a2a"})
    assert a2a.json()["result"]["task"]["status"]["state"] == "TASK_STATE_COMPLETED"
    _from_a_task(world)
    # The fourth call, whichever way it comes, is refused.
    code, err = _from_the_cli(world)
    assert code != 0
    assert "throttled" in err
    with pytest.raises(Throttled):
        _from_a_task(world)
    over = send(client, world.alice, "create-memo", {"title": "a2a again"})
    assert over.status_code == 429
    assert over.json()["error"]["code"] == RATE_LIMITED
    assert int(over["Retry-After"]) >= 1
    http = call(world.alice, "create-memo", {"title": "http again"})
    assert http.status_code == 429
    assert int(http["Retry-After"]) >= 1
    # Per user and per action: Carol, and Alice's other actions, are not limited.
    assert call(world.carol, "create-memo", {"title": "carol"}).status_code == 200
    assert call(world.alice, "list-memos").status_code == 200


def test_a_throttled_a2a_call_stores_no_task(client, world, three_a_minute, settings):
    from a2a.models import A2ATask
    from scoping.scopes import unscoped

    settings.A2A_SECRET = A2A_SECRET
    settings.APP_URL = "http://testserver"
    for i in range(5):
        send(client, world.alice, "create-memo", {"title": f"n{i}"})
    with unscoped(reason="test"):
        assert A2ATask.objects.count() == 3


@pytest.mark.parametrize(
    ("text", "calls", "seconds"),
    [
        ("30/min", 30, 60),
        ("5/s", 5, 1),
        ("1000/hour", 1000, 3600),
        ("10/15m", 10, 900),
        ("2/day", 2, 86400),
        ("120/minute", 120, 60),
    ],
)
def test_rates_are_read_as_calls_per_period(text, calls, seconds):
    assert throttling.parse_rate(text) == throttling.Rate(calls, seconds)


@pytest.mark.parametrize("text", ["", "thirty/min", "3", "3/fortnight", "-1/min"])
def test_a_malformed_rate_is_an_error(text):
    with pytest.raises(ValueError, match="Not a rate"):
        throttling.parse_rate(text)


def test_concurrent_calls_lose_no_count():
    """Eight threads, 25 calls each, on the configured cache (Redis in CI's second
    run): the counter ends at exactly 200."""
    key = "throttle:test:concurrency"
    cache.delete(key)

    def hammer():
        for _ in range(25):
            throttling._count(key, timeout=60)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttling._count(key, timeout=60) == 201


def test_a_counter_expires_with_its_window():
    key = "throttle:test:expiry"
    cache.delete(key)
    assert throttling._count(key, timeout=1) == 1
    time.sleep(2.2)  # the window (1 s) and its margin (1 s) are over
    assert cache.get(key) is None


def test_on_redis_a_call_costs_one_round_trip(monkeypatch):
    """INCR and EXPIRE go together in one pipeline (CI's PostgreSQL run has Redis)."""
    import redis
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(caches["default"], RedisCache):
        pytest.skip("the cache is not Redis here")
    trips = []
    real_command, real_pipeline = (
        redis.Redis.execute_command,
        redis.client.Pipeline.execute,
    )
    monkeypatch.setattr(
        redis.Redis,
        "execute_command",
        lambda self, *a, **k: trips.append(a[0]) or real_command(self, *a, **k),
    )
    monkeypatch.setattr(
        redis.client.Pipeline,
        "execute",
        lambda self, *a, **k: trips.append("pipeline") or real_pipeline(self, *a, **k),
    )
    throttling.throttle(registry.get("create-memo"), caller="user:round-trips")
    assert trips == ["pipeline"]
