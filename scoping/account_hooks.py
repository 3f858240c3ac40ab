"""A user's own rows in every scoped table: in their data download, gone with them."""

from django.db import connection

from accounts.models import User
from scoping import registry
from scoping.agent_sql.results import json_value
from scoping.scopes import unscoped


def _owned_tables():
    return [t for t in registry.scoped_tables(connection) if t.has_owner]


def export_owned_rows(user: User) -> dict[str, list[dict]]:
    """Every row whose owner_email is the user's, in any org, table by table."""
    exported = {}
    with (
        unscoped(reason=f"data export for user {user.pk}", audit=False),
        connection.cursor() as cursor,
    ):
        for table in _owned_tables():
            cursor.execute(
                f"SELECT * FROM {connection.ops.quote_name(table.name)} "
                "WHERE owner_email = %s",
                [user.email],
            )
            columns = [column[0] for column in cursor.description]
            exported[table.name] = [
                {c: json_value(v) for c, v in zip(columns, row, strict=True)}
                for row in cursor.fetchall()
            ]
    return exported


def delete_owned_rows(user: User) -> None:
    """Delete the user's private rows; rows their org shares stay with the org."""
    with (
        unscoped(reason=f"account deletion of user {user.pk}", audit=False),
        connection.cursor() as cursor,
    ):
        for table in _owned_tables():
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(table.name)} "
                "WHERE owner_email = %s",
                [user.email],
            )
