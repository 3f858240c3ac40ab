"""Helpers for tests that start the project's own processes."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# Variables that configure the app; removed so a test states every one it needs.
APP_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "DATABASE_CONNECT_TIMEOUT",
    "ALLOWED_HOSTS",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CACHE_URL",
    "DATABASE_ADMIN_URL",
    "WEBHOOK_PROVIDERS",
    "SECRETS_ENCRYPTION_KEY",
    "OAUTH_STATE_SECRET",
    "A2A_SECRET",
)


def clean_env(**overrides: str) -> dict[str, str]:
    """The current environment without the app's variables and without `.env`."""
    env = {k: v for k, v in os.environ.items() if k not in APP_VARIABLES}
    env["DJANGO_ENV_FILE"] = str(BASE_DIR / "tests" / "no-such.env")
    env.update(overrides)
    return env


def run_python(code: str, env: dict[str, str], timeout: int = 60):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_database_url() -> str:
    """A URL for the database the running tests use, for a process they start."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    auth = settings["USER"] or ""
    if settings.get("PASSWORD"):
        auth += f":{settings['PASSWORD']}"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{settings['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def wait_until(condition, seconds: float = 60.0, *, every: float = 0.1) -> bool:
    """Whether `condition()` came true within `seconds` (asked every `every` s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False
