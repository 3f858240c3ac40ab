"""Counting a request's round trips, for `make bench` only.

Every database statement (BEGIN and COMMIT included) and every Redis command or
pipeline the request makes is counted; the counts go back in response headers, which
the load generator collects.
"""

import threading

import redis
from django.db import connection, reset_queries

_redis_calls = threading.local()


def _counted(send):
    def wrapper(self, *args, **kwargs):
        _redis_calls.count = getattr(_redis_calls, "count", 0) + 1
        return send(self, *args, **kwargs)

    return wrapper


# A pipeline's commands go out together: one round trip, counted by execute().
redis.client.Redis.execute_command = _counted(redis.client.Redis.execute_command)
redis.client.Pipeline.execute = _counted(redis.client.Pipeline.execute)


class RoundTripsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset_queries()
        connection.force_debug_cursor = True
        _redis_calls.count = 0
        try:
            response = self.get_response(request)
        finally:
            connection.force_debug_cursor = False
        response["X-DB-Round-Trips"] = str(len(connection.queries))
        response["X-Redis-Round-Trips"] = str(_redis_calls.count)
        return response
