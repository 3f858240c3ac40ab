"""A PostgreSQL server of a test's own, to stop and start under load.

The machine's server cannot be restarted from a test: pytest, and in CI the rest of
the suite, are connected to it. This one lives in a temporary folder on a free port
and is gone when the test ends.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.processes import free_port


def _bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, or Debian's versioned folder."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def root_without_postgres_user(program: str) -> str | None:
    """Why `program` cannot run here: PostgreSQL's programs refuse to run as root,
    and as root they run as the `postgres` system user, which must exist."""
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return f"running as root without a `postgres` user to run {program}"
    return None


class PostgresServer:
    """initdb, start, stop, psql: the server runs as the `postgres` system user when
    the tests run as root (PostgreSQL refuses to run as root), else as the caller."""

    def __init__(self):
        self.bin = _bin_dir()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pg-restart-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)

    @classmethod
    def why_unavailable(cls) -> str | None:
        if _bin_dir() is None:
            return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
        return root_without_postgres_user("the server")

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self.run_as, *args], capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{Path(args[0]).name} failed:\n{result.stderr}{result.stdout}\n{log}"
            )

    def create(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-k {self.folder} -c fsync=off -c max_connections=50"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "start",
            "-w",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
        )

    def stop(self) -> None:
        """Stop as an operator would for a restart: open connections are cut."""
        self._run(
            str(self.bin / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(self.data)
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run `sql` as the superuser (no row level security applies) and return
        its rows, one per line."""
        result = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout

    def url(self, role: str, database: str) -> str:
        return f"postgres://{role}@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self.run_as,
                    str(self.bin / "pg_ctl"),
                    "stop",
                    "-m",
                    "immediate",
                    "-D",
                    str(self.data),
                ],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.folder, ignore_errors=True)
