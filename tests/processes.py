"""Helpers for tests that start the project's own processes."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings
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
    "DATABASE_POOLING",
    "DATABASE_POOL_MAX_SIZE",
    "ALLOWED_HOSTS",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CACHE_URL",
    "DATABASE_ADMIN_URL",
    "WEBHOOK_PROVIDERS",
    "SECRETS_ENCRYPTION_KEY",
    "OAUTH_STATE_SECRET",
    "A2A_SECRET",
    "IDENTITY_HUB_URL",
    "IDENTITY_HUB_NAME",
    "IDENTITY_HUB_CLIENT_ID",
    "IDENTITY_HUB_CLIENT_SECRET",
    "LOG_FORMAT",
    "SENTRY_DSN",
    "SENTRY_RELEASE",
    "SENTRY_ENVIRONMENT",
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


def free_port() -> int:
    """A TCP port nothing listens on now, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """The app under gunicorn (one worker, four threads unless told), in a process
    of its own with `env`, on a free port; its output in `log`. Started once it
    answers /healthz (alive; whether its database answers is the test's to see)."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        port: int | None = None,
        *,
        workers: int = 1,
        threads: int = 4,
        graceful_timeout: int = 5,
    ):
        self.env = env
        self.log = log
        self.port = port or free_port()
        self.workers, self.threads = workers, threads
        self.graceful_timeout = graceful_timeout
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> "AppServer":
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "config.wsgi",
                    "-b",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--threads",
                    str(self.threads),
                    "--graceful-timeout",
                    str(self.graceful_timeout),
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=output,
            )
        if not wait_until(self._answers, 60):
            self.stop()
            raise AssertionError(f"{self.url} did not start:\n{self.log.read_text()}")
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            return False
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def start_worker(queue: str, log_path: Path, **variables: str) -> subprocess.Popen:
    """The worker `make run` starts, on the broker the settings name, one queue
    only, with the test tasks (tests.config.worker_tasks) and `variables` set."""
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=test_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        **variables,
    )
    with log_path.open("w") as log:
        return subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config.celery_app",
                "worker",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                f"--queues={queue}",
                "--include=tests.config.worker_tasks",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
