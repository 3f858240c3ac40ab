"""For tests of a part that hangs: a server that accepts and never answers, and a
request that must come back anyway."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def silent_port() -> Iterator[int]:
    """A loopback port whose connections the kernel accepts and nobody answers
    (a hung server, a black-holed network)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        yield silent.getsockname()[1]


def get_unless_hung(client, path: str, *, seconds: float):
    """`client.get(path)`'s response, or None if it has not come back within
    `seconds` (a bound for a hang, not a measurement)."""
    answer = {}
    request = threading.Thread(
        target=lambda: answer.update(response=client.get(path)), daemon=True
    )
    request.start()
    request.join(timeout=seconds)
    return answer.get("response")
