"""Rate limits: of actions, counted by the runner so every entrance is limited alike,
and of other events that need one (failed API credentials, invitation resends).

A fixed window per caller and action, counted in the shared cache: one atomic
increment per call (Redis INCR), so concurrent calls never lose a count and nothing
grows with the number of calls. A window lets up to twice the rate through across
its edge; for the coarse per-action limits here that is the accepted trade.
"""

import math
import re
import time
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from actions.app_settings import app_settings
from config.errors import Throttled

_RATE = re.compile(
    r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)s?\s*$"
)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    calls: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """ "30/min", "5/s", "1000/hour", "10/15m" as calls per period."""
    match = _RATE.match(text or "")
    if match is None:
        raise ValueError(f"Not a rate: {text!r} (write it like 30/min).")
    calls, multiple, unit = match.groups()
    return Rate(int(calls), int(multiple or 1) * _SECONDS[unit[0]])


def throttle(action, *, caller: str) -> None:
    """Count one call of `action` by `caller`; raise Throttled past the action's rate.

    `caller` names who is counted: "user:<id>", or "ip:<address>" for anonymous calls.
    """
    limit(
        f"action:{action.name}",
        caller=caller,
        rate=action.throttle_rate or app_settings.DEFAULT_THROTTLE_RATE,
        message=f"Too many calls of {action.name}",
    )


def limit(name: str, *, caller: str, rate: str, message: str) -> None:
    """Count one `name` event by `caller`; past `rate` in the current window raise
    Throttled, whose message is `message` and when to try again."""
    parsed = parse_rate(rate)
    now = time.time()
    window = int(now // parsed.seconds)
    key = f"throttle:{name}:{caller}:{window}"
    if _count(key, timeout=parsed.seconds) > parsed.calls:
        wait = max(math.ceil((window + 1) * parsed.seconds - now), 1)
        raise Throttled(f"{message}; try again in {wait} s.", retry_after=wait)


def _count(key: str, *, timeout: int) -> int:
    """Add one to the window's counter and return it."""
    backend = caches["default"]  # `cache` is a proxy: ask it what it stands for
    if isinstance(backend, RedisCache):
        # One round trip: INCR creates the counter, EXPIRE keeps it from outliving
        # its window. (Django's incr() asks EXISTS first: two trips, and a counter
        # expiring between them would be recreated with no expiry at all.)
        name = backend.make_and_validate_key(key)
        with _redis_client(backend, name).pipeline() as pipe:
            pipe.incr(name)
            pipe.expire(name, timeout + 1)
            count, _ = pipe.execute()
        return count
    try:
        return cache.incr(key)
    except ValueError:  # the window's first call
        if cache.add(key, 1, timeout=timeout + 1):
            return 1
        return cache.incr(key)


def _redis_client(backend: RedisCache, key: str):
    """The backend's Redis client, kept: building one per call cost more than the
    round trip. (A cache backend is per thread; a Redis client is thread-safe.)"""
    client = getattr(backend, "_throttle_client", None)
    if client is None:
        client = backend._throttle_client = backend._cache.get_client(key, write=True)
    return client
