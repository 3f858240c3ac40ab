"""Settings for `make bench`: the test settings on the bench's own database, quiet
logs, and each request's round trips counted (bench/instrument.py)."""

from config.settings.test import *  # noqa: F403
from config.settings.test import MIDDLEWARE, env

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
ACTIONS_DEFAULT_THROTTLE_RATE = "1000000/min"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405 - both sides of a ratio log alike
SLACK_SIGNING_SECRET = "bench-slack-signing-secret"
A2A_SECRET = "bench-a2a-shared-secret-0123456789abcdef"
APP_URL = env.str("BENCH_APP_URL", default="http://127.0.0.1:8765")
MIDDLEWARE = ["bench.instrument.RoundTripsMiddleware", *MIDDLEWARE]
