"""Deploy checks: the database settings agree with DATABASE_POOLING.

Behind a transaction-pooling pgbouncer each transaction may run on a different
server connection, and a server connection serves other clients' transactions next:
whatever outlives a transaction (a WITH HOLD cursor, a named prepared statement, a
session's role) is lost, or worse, handed to someone else. Django's psycopg pool
replaces persistent connections; Django refuses both at once.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register


def _database() -> dict:
    return settings.DATABASES["default"]


def _options() -> dict:
    return _database().get("OPTIONS", {})


def _postgresql() -> bool:
    return _database()["ENGINE"] == "django.db.backends.postgresql"


def _transaction_pooling() -> bool:
    return _postgresql() and settings.DATABASE_POOLING == "transaction"


def _errors(*found: tuple[bool, str, str, str]) -> list[Error]:
    """An Error for each (wrong, message, hint, id) whose `wrong` holds."""
    return [
        Error(message, hint=hint, id=id_)
        for wrong, message, hint, id_ in found
        if wrong
    ]


@register(Tags.database, deploy=True)
def check_no_server_side_cursors_under_transaction_pooling(app_configs, **kwargs):
    return _errors(
        (
            _transaction_pooling()
            and not _database().get("DISABLE_SERVER_SIDE_CURSORS"),
            "DATABASE_POOLING=transaction with server-side cursors on: "
            "`.iterator()` opens a cursor that the next transaction, on another "
            "server connection, cannot find.",
            "Set DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'] = True "
            "(config.settings' database_config does, for this mode).",
            "pooling.E001",
        )
    )


@register(Tags.database, deploy=True)
def check_no_prepared_statements_under_transaction_pooling(app_configs, **kwargs):
    return _errors(
        (
            _transaction_pooling() and _options().get("prepare_threshold") is not None,
            "DATABASE_POOLING=transaction with psycopg's automatic prepared "
            "statements on: pgbouncer 1.18 does not carry them between server "
            "connections ('prepared statement … does not exist').",
            "Set OPTIONS['prepare_threshold'] = None.",
            "pooling.E002",
        )
    )


@register(Tags.database, deploy=True)
def check_no_session_role_under_transaction_pooling(app_configs, **kwargs):
    return _errors(
        (
            _transaction_pooling() and bool(_options().get("assume_role")),
            "DATABASE_POOLING=transaction with OPTIONS['assume_role']: Django runs "
            "a session-level SET ROLE once per connection, which stays on one "
            "server connection, for other clients, and is missing on the others.",
            "Log in as the role the app should run as; remove assume_role.",
            "pooling.E003",
        )
    )


@register(Tags.database, deploy=True)
def check_pool_settings(app_configs, **kwargs):
    has_pool = bool(_options().get("pool"))
    return _errors(
        (
            has_pool and bool(_database().get("CONN_MAX_AGE")),
            "Django's connection pool (OPTIONS['pool']) with CONN_MAX_AGE > 0: "
            "Django refuses to connect ('Pooling doesn't support persistent "
            "connections').",
            "Set CONN_MAX_AGE=0 (DATABASE_POOLING=pool does).",
            "pooling.E004",
        ),
        (
            _postgresql() and settings.DATABASE_POOLING == "pool" and not has_pool,
            "DATABASE_POOLING=pool, but DATABASES['default'] has no OPTIONS['pool']: "
            "every request opens a connection of its own.",
            "Build DATABASES with config.settings' database_config, or set "
            "OPTIONS['pool'] = {'min_size': …, 'max_size': …}.",
            "pooling.E005",
        ),
    )
