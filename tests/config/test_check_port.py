"""`make run PORT=…`: a busy port is reported, with a free one to try, before the
worker or the server starts (`manage.py check_port`, the first step of `make run`)."""

import re
import shutil
import socket
import subprocess
import sys

import pytest

from tests.processes import BASE_DIR, clean_env

pytestmark = pytest.mark.slow


def _check_port(port: int):
    return subprocess.run(
        [sys.executable, "manage.py", "check_port", str(port)],
        cwd=BASE_DIR,
        env=clean_env(DJANGO_SETTINGS_MODULE="config.settings.test"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _listening() -> socket.socket:
    """A socket listening on a port the system chose, as a running server would."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server


def test_a_busy_port_is_reported_with_one_to_try():
    with _listening() as server:
        port = server.getsockname()[1]
        result = _check_port(port)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert message.startswith(f"port {port} is busy: Address already in use")
    suggested = re.fullmatch(r".*; try make run PORT=(\d+)", message)
    assert suggested, message
    assert int(suggested[1]) > port


def test_a_free_port_passes_quietly():
    with _listening() as server:
        port = server.getsockname()[1]
    # Closed: free again (a listener that never accepted leaves no TIME_WAIT).
    result = _check_port(port)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_checks_the_port_before_anything_starts():
    # `make -n` prints the commands `make run` would run, and runs none of them.
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    steps = [
        next(i for i, line in enumerate(dry_run) if needle in line)
        for needle in (
            "manage.py check_port 8123",
            "manage.py migrate",
            "celery -A config.celery_app worker",
            "manage.py runserver 127.0.0.1:8123",
        )
    ]
    assert steps == sorted(steps)
