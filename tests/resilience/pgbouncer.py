"""A pgbouncer of a test's own, in transaction pooling mode, in front of the
machine's PostgreSQL: its own port, config and auth file in a temporary folder.

Few server connections (`pool_size`) for many clients, so every server connection
serves one client's transaction after another's: what a transaction leaves behind
on it, the next client's transaction finds. No reset query: pgbouncer does not run
one in transaction mode, and the app must not need one.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.processes import free_port, wait_until
from tests.resilience.postgres_server import root_without_postgres_user

DEBIAN_BINARY = "/usr/sbin/pgbouncer"


def _binary() -> str | None:
    return shutil.which("pgbouncer") or (
        DEBIAN_BINARY if Path(DEBIAN_BINARY).exists() else None
    )


class Pgbouncer:
    """pgbouncer runs as the `postgres` system user when the tests run as root (it
    refuses to run as root), else as the caller."""

    def __init__(
        self,
        *,
        upstream_host: str,
        upstream_port: int,
        upstream_password: str = "",
        pool_size: int = 3,
    ):
        self.upstream_host = upstream_host
        self.upstream_port = upstream_port
        # A server that asks for one gets the suite's own; the file is the owner's.
        self.upstream_password = upstream_password
        self.pool_size = pool_size
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.log = self.folder / "pgbouncer.log"
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.process = None
        self.users: list[str] = []

    @classmethod
    def why_unavailable(cls) -> str | None:
        if _binary() is None:
            return "pgbouncer is not installed (apt-get install pgbouncer)"
        return root_without_postgres_user("pgbouncer")

    def start(self, *, users: list[str]) -> "Pgbouncer":
        config = self.folder / "pgbouncer.ini"
        auth = self.folder / "userlist.txt"
        self.users = users
        # trust: pgbouncer asks no password, the user must still be listed; the
        # server sees the client's own user name (and the suite's password, if any).
        auth.write_text("".join(f'"{user}" ""\n' for user in users))
        quoted = self.upstream_password.replace("\\", "\\\\").replace("'", "\\'")
        password = f" password='{quoted}'" if self.upstream_password else ""
        config.touch(mode=0o600)
        config.write_text(
            "[databases]\n"
            f"* = host={self.upstream_host} port={self.upstream_port}{password}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {auth}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {self.pool_size}\n"
            "min_pool_size = 0\n"
            "max_client_conn = 500\n"
            f"logfile = {self.log}\n"
            "log_connections = 0\n"
            "log_disconnections = 0\n"
        )
        if self.run_as:
            owner = pwd.getpwnam("postgres")
            for path in (self.folder, config, auth):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self.process = subprocess.Popen(
            [*self.run_as, _binary(), str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(self._answers, 30):
            self.stop()
            raise AssertionError(f"pgbouncer did not start:\n{self._log_tail()}")
        return self

    def _answers(self) -> bool:
        import psycopg

        if self.process.poll() is not None:
            return False
        try:
            with psycopg.connect(
                host="127.0.0.1",
                port=self.port,
                user=self.users[0],
                dbname="postgres",
                connect_timeout=2,
            ):
                return True
        except psycopg.Error:
            return False

    def _log_tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""

    def url(self, role: str, database: str) -> str:
        return f"postgres://{role}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
