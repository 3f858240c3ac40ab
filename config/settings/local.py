"""Settings for `make run` on a developer's machine: DEBUG on, embedded defaults."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
# A fixed key is fine here: local data is throwaway and never served publicly.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-local-only-key-never-use-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
