"""The Server header names no software: through Django's test client, runserver's
server and a real gunicorn, every answer says `Server: app`, once."""

import http.client
import subprocess

import pytest

from config.middleware import SERVER_HEADER
from tests.processes import BASE_DIR, VENV_BIN, clean_env, free_port, wait_until

SOFTWARE = ("gunicorn", "wsgiserver", "cpython", "python", "django", "uvicorn")


def _assert_neutral(values: list[str]):
    assert values == [SERVER_HEADER]
    assert not any(name in values[0].lower() for name in SOFTWARE)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_the_app_names_no_software(client, path):
    _assert_neutral([client.get(path)["Server"]])


def _server_headers(url: str) -> list[str]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        return [value for name, value in response.getheaders() if name == "Server"]
    finally:
        connection.close()


def test_runserver_names_no_software(live_server):
    # live_server is runserver's own WSGI server (django.core.servers.basehttp).
    _assert_neutral(_server_headers(live_server.url))


def _answers(url: str) -> bool:
    try:
        _server_headers(url)
    except OSError:
        return False
    return True


@pytest.mark.slow
def test_gunicorn_names_no_software(tmp_path):
    port = free_port()
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",  # "/" reads none
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--graceful-timeout",
                "5",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=output,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            assert wait_until(lambda: _answers(url), 30), log.read_text()
            _assert_neutral(_server_headers(url))
        finally:
            server.terminate()
            server.wait(timeout=30)
