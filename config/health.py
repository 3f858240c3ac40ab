"""Probes behind /readyz: can this process reach its database, broker and cache?

Each answers True or False and never raises: a part that is down is an answer.
"""

import logging
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connections
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2
# Long enough to read back, short enough that a probe's key never lingers.
CACHE_KEY_SECONDS = 10


def database_is_up() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:
        # Connection errors can quote the URL; the type is enough to act on.
        logger.warning("health: database unreachable (%s)", type(error).__name__)
        return False


def is_database_outage(error: BaseException | None) -> bool:
    """Whether `error` means the database could not be reached (down, restarting, the
    connection cut) rather than a statement failing on a working connection.

    The first is worth a 503 and a retry; the second is a bug, a 500.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    raw = connections["default"].connection
    # None: the connection could not be opened, or Django closed it as broken.
    # `closed` (psycopg): the server went away under an open connection.
    return raw is None or bool(getattr(raw, "closed", False))


def broker_is_up() -> bool:
    url = settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    try:
        if url.startswith("filesystem://"):
            return _filesystem_broker_is_up(Path(options["data_folder_in"]))
        with Connection(
            url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options
        ) as connection:
            connection.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
            return True
    except Exception as error:
        logger.warning("health: broker unreachable (%s)", type(error).__name__)
        return False


def _filesystem_broker_is_up(queue_folder: Path) -> bool:
    """The filesystem broker is up when its queue folder takes a file (one of its
    own per probe, since probes run at once; kombu reads only `*.msg` files)."""
    with tempfile.NamedTemporaryFile(dir=queue_folder, prefix=".readyz-"):
        return True


def cache_is_up() -> bool:
    """The shared cache takes a key and gives it back (rate limits and replay
    protection count there; a cache that swallows writes is as bad as none)."""
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache = caches["default"]
        cache.set(key, "ok", timeout=CACHE_KEY_SECONDS)
        answer = cache.get(key)
        cache.delete(key)
        return answer == "ok"
    except Exception as error:
        logger.warning("health: cache unreachable (%s)", type(error).__name__)
        return False
