"""Two deployments of this repository, each in processes of its own with its own
database: the identity hub, and an app that signs its users in through it; and a
stand-in for the network between them, which can swap the ID token the hub sends.

The hub answers at `localhost`, the apps at `127.0.0.1`: browsers keep cookies per
host name, not per port, so two sites on one name would share a session cookie.
"""

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from tests.processes import BASE_DIR, AppServer, clean_env, free_port, run_python

CALLBACK_PATH = "/accounts/identity_hub/login/callback/"


def _base_env(database: Path, app_url: str, **variables) -> dict[str, str]:
    return clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{database}",
        CELERY_BROKER_URL="memory://",
        APP_URL=app_url,
        **variables,
    )


def migrated_database(folder: Path) -> Path:
    """A migrated SQLite database to copy for each site (migrating once is ~4 s)."""
    template = folder / "template.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=BASE_DIR,
        env=_base_env(template, "http://127.0.0.1"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return template


class Site:
    """One deployment: its database file, its environment, its server."""

    def __init__(self, name: str, folder: Path, template: Path, host: str, **variables):
        self.name = name
        self.database = folder / f"{name}.sqlite3"
        shutil.copy(template, self.database)
        self.port = free_port()
        self.url = f"http://{host}:{self.port}"
        self.log = folder / f"{name}.log"
        self.variables = variables
        self.server = None

    @property
    def env(self) -> dict[str, str]:
        return _base_env(self.database, self.url, **self.variables)

    def python(self, code: str) -> str:
        """Run `code` with this site's settings (Django set up); its output."""
        result = run_python(f"import django\ndjango.setup()\n{code}", self.env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def add_user(self, email: str, password: str, *, verified=True, totp=None):
        self.python(
            "from allauth.account.models import EmailAddress\n"
            "from accounts.models import User\n"
            f"user = User.objects.create_user(email={email!r}, password={password!r},"
            f" name={email.split('@')[0].title()!r})\n"
            f"EmailAddress.objects.create(user=user, email={email!r}, primary=True,"
            f" verified={verified!r})\n"
            + (
                "from allauth.mfa.totp.internal.auth import TOTP\n"
                f"TOTP.activate(user, {totp!r})\n"
                if totp
                else ""
            )
        )

    def start(self, **variables) -> "Site":
        """Serve, with `variables` on top of the site's own (None unsets one)."""
        env = {**self.env, **variables}
        env = {name: value for name, value in env.items() if value is not None}
        self.server = AppServer(env, self.log, port=self.port).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def rows(self, sql: str, *params) -> list[tuple]:
        """Rows of this site's database, read beside the app (SQLite file)."""
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def audit(self, action: str) -> list[dict]:
        return [
            {"actor": actor, "metadata": json.loads(metadata)}
            for actor, metadata in self.rows(
                "SELECT actor_label, metadata FROM accounts_auditevent "
                "WHERE action = ? ORDER BY id",
                action,
            )
        ]

    def users(self, email: str) -> list[tuple]:
        return self.rows(
            "SELECT u.id, e.verified FROM accounts_user u LEFT JOIN "
            "account_emailaddress e ON e.user_id = u.id WHERE lower(u.email) = ?",
            email.lower(),
        )


def register_app(hub: Site, name: str, *redirects: str) -> tuple[str, str]:
    """`manage.py sso_client add` on the hub: the app's client id and secret."""
    args = ["sso_client", "add", "--name", name]
    for uri in redirects:
        args += ["--redirect", uri]
    out = hub.manage(*args)
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return values["IDENTITY_HUB_CLIENT_ID"], values["IDENTITY_HUB_CLIENT_SECRET"]


class TokenSwapProxy:
    """Between an app and the hub: the hub's discovery document with this proxy as
    the token endpoint, and the hub's token answers passed on, unless `swap` is
    set, which is given the hub's ID token and returns the one to send instead.
    Every ID token the hub issued through it is kept in `issued`."""

    def __init__(self, hub_url: str):
        self.hub_url = hub_url
        self.swap = None
        self.issued: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path != "/.well-known/openid-configuration":
                    return self._answer(404, {})
                metadata = requests.get(
                    f"{proxy.hub_url}/.well-known/openid-configuration", timeout=10
                ).json()
                metadata["token_endpoint"] = f"{proxy.url}/token"
                return self._answer(200, metadata)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = requests.post(
                    f"{proxy.hub_url}/identity/o/api/token",
                    data=body,
                    headers={
                        "Content-Type": self.headers["Content-Type"],
                        "Authorization": self.headers.get("Authorization", ""),
                    },
                    timeout=10,
                )
                tokens = answer.json()
                if "id_token" in tokens:
                    proxy.issued.append(tokens["id_token"])
                    if proxy.swap is not None:
                        tokens["id_token"] = proxy.swap(tokens["id_token"])
                return self._answer(answer.status_code, tokens)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "TokenSwapProxy":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class WebSession:
    """A person's browser as plain HTTP: cookies kept, forms posted with their
    CSRF token, redirects not followed (each hop is looked at)."""

    def __init__(self):
        self.http = requests.Session()

    def get(self, url: str, **kwargs):
        return self.http.get(url, allow_redirects=False, timeout=20, **kwargs)

    def post_form(self, page_url: str, action_url: str, data: dict):
        page = self.http.get(page_url, timeout=20)
        token = CSRF_FIELD.search(page.text).group(1)
        return self.http.post(
            action_url,
            data={"csrfmiddlewaretoken": token, **data},
            allow_redirects=False,
            timeout=20,
        )

    def sign_in(self, site_url: str, email: str, password: str):
        response = self.post_form(
            f"{site_url}/accounts/login/",
            f"{site_url}/accounts/login/",
            {"login": email, "password": password},
        )
        assert response.status_code == 302, response.text[:2000]
        return response


def sign_in_through_hub(app_url: str, at_hub: WebSession, at_app: WebSession):
    """The app sends the person to the hub (where `at_hub` is signed in), the hub
    sends them back; the app's answer to its callback, and the callback URL."""
    start = at_app.post_form(
        f"{app_url}/accounts/identity_hub/login/",
        f"{app_url}/accounts/identity_hub/login/",
        {},
    )
    assert start.status_code == 302, start.text[:2000]
    back = at_hub.get(start.headers["Location"])
    assert back.status_code == 302, back.text[:2000]
    callback = back.headers["Location"]
    assert callback.startswith(f"{app_url}{CALLBACK_PATH}?"), callback
    return at_app.get(callback), callback
