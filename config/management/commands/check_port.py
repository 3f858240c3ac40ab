"""`manage.py check_port 8000`: is the port `make run` will serve on free?"""

import errno
import socket
import sys

from django.core.management.base import BaseCommand

HOST = "127.0.0.1"


def port_busy(port: int, host: str = HOST) -> OSError | None:
    """Why `port` cannot be served on (None when it can), found by binding it as
    runserver will: with SO_REUSEADDR, so a port a stopped server left in
    TIME_WAIT counts as free, and one something listens on does not."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error
    return None


class Command(BaseCommand):
    help = (
        f"Exit 0 if {HOST}:PORT can be served on; else say why on stderr, suggest "
        "a free port, and exit 1. `make run` runs it before anything starts."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("port", type=int)

    def handle(self, *args, port, **options):
        error = port_busy(port)
        if error is None:
            return
        reason = error.strerror or str(error)
        if error.errno == errno.EADDRINUSE:
            reason = f"{reason} (another server, or an earlier `make run`, uses it)"
        self.stderr.write(
            f"port {port} is busy: {reason}; try make run PORT={_free_after(port)}"
        )
        sys.exit(1)


def _free_after(port: int) -> int:
    """The first free port after `port` (of the next hundred), else port + 1."""
    for candidate in range(port + 1, min(port + 101, 65536)):
        if port_busy(candidate) is None:
            return candidate
    return port + 1
