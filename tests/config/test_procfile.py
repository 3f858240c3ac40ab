"""The Procfile is what a PaaS runs: `release` once per deploy, then `web`, `worker`
and `beat`. Run with honcho under the production settings on PostgreSQL and Redis,
the release migrates a new database and the app is ready (/readyz 200), then stops
cleanly."""

import signal
import subprocess
import uuid

import psycopg
import pytest
import requests
from django.conf import settings

from tests.config.test_production_settings import GOOD
from tests.processes import BASE_DIR, VENV_BIN, clean_env, free_port, wait_until

PROCFILE = BASE_DIR / "Procfile"


def test_procfile_names_the_process_types_a_paas_reads():
    types = dict(
        line.split(":", 1) for line in PROCFILE.read_text().splitlines() if line
    )
    assert list(types) == ["release", "web", "worker", "beat"]
    assert types["release"].strip() == "python manage.py migrate"
    assert "0.0.0.0:$PORT" in types["web"]
    assert "WEB_CONCURRENCY" in types["web"]
    # The environment says which settings: none is forced here.
    assert "DJANGO_SETTINGS_MODULE" not in PROCFILE.read_text()


@pytest.fixture
def database():
    """A new, empty database owned by the suite's own role; dropped after."""
    redis_cache = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    if not (redis_cache and settings.CELERY_BROKER_URL.startswith("redis://")):
        pytest.skip("needs the suite's Redis (CELERY_BROKER_URL and REDIS_URL)")
    name = f"template_procfile_{uuid.uuid4().hex[:8]}"
    owner = settings.DATABASES["default"]["USER"]
    with psycopg.connect(settings.DATABASE_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    try:
        yield name
    finally:
        with psycopg.connect(settings.DATABASE_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _honcho(*args, env, log):
    return subprocess.Popen(
        [str(VENV_BIN / "honcho"), "--no-colour", "-f", str(PROCFILE), *args],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.slow
@pytest.mark.postgres
def test_honcho_runs_the_procfile_to_a_ready_app(database, tmp_path):
    db = settings.DATABASES["default"]
    port = free_port()
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{database}"
    )
    env = clean_env(
        **{
            **GOOD,
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REDIS_URL": settings.CACHES["default"]["LOCATION"],
            "CELERY_BROKER_DIR": str(tmp_path / "broker"),  # beat's schedule file
            "PATH": f"{VENV_BIN}:/usr/bin:/bin",
            "WEB_CONCURRENCY": "2",
        }
    )
    log_path = tmp_path / "honcho.log"

    with log_path.open("w") as log:
        # The release step alone, with a superuser's URL to lay out the roles (as
        # a PaaS gives its release phase); it ends when migrate does.
        release_env = {**env, "DATABASE_ADMIN_URL": settings.DATABASE_ADMIN_URL}
        release = _honcho("start", "release", env=release_env, log=log)
        assert release.wait(timeout=300) == 0, log_path.read_text()

        app = _honcho(
            "start", "-p", str(port), "web", "worker", "beat", env=env, log=log
        )
        try:

            def ready():
                try:
                    return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
                except requests.RequestException:
                    return None

            assert wait_until(
                lambda: app.poll() is not None or getattr(ready(), "ok", False), 120
            ), log_path.read_text()
            assert app.poll() is None, log_path.read_text()
            answer = ready()
            assert answer.json() == {
                "status": "ok",
                "database": "ok",
                "broker": "ok",
                "cache": "ok",
            }
            assert wait_until(lambda: "celery@" in log_path.read_text(), 60)
        finally:
            app.send_signal(signal.SIGTERM)
            returncode = app.wait(timeout=60)
    output = log_path.read_text()
    # honcho answers SIGTERM with 128 + 15 once every process has stopped, each
    # of them on its own (no SIGKILL after honcho's 5 s): gunicorn's master after
    # its workers, the Celery worker by a warm shutdown.
    assert returncode == 128 + signal.SIGTERM, output
    assert "SIGKILL" not in output
    assert "Shutting down: Master" in output
    assert "Warm shutdown" in output
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    for secret in (GOOD["SECRET_KEY"], GOOD["SECRETS_ENCRYPTION_KEY"]):
        assert secret not in output
