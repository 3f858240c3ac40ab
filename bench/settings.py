"""Settings for `make bench`: the test settings on the bench database, quiet logs."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
ACTIONS_DEFAULT_THROTTLE_RATE = "1000000/min"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405 - both sides of a ratio log alike
SLACK_SIGNING_SECRET = "bench-slack-signing-secret"
A2A_SECRET = "bench-a2a-shared-secret-0123456789abcdef"
APP_URL = "http://127.0.0.1:8765"
