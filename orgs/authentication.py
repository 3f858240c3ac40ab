"""Personal tokens that bring the caller's org along, in the token's one query."""

from functools import cache

from django.db import connection

from accounts.authentication import ApiTokenAuthentication
from accounts.models import ApiToken, User
from orgs.models import ActiveOrg, Membership, Organization


class ApiTokenWithOrgAuthentication(ApiTokenAuthentication):
    """`Authorization: Bearer pat_…`: the token, its user, and the membership the
    call acts through — in the org the token is bound to, else the user's active
    org — in one query (not two: the token, then the org).

    Written as SQL once, from the models' own columns: the same query through the
    ORM cost more to build, per request, than the round trip it saves. The
    membership is what `orgs.selectors.membership_for_call` would find; when there
    is none (a user's first request), `orgs.context.caller_context` looks again.
    """

    def lookup(self, key_id: str):
        with connection.cursor() as cursor:
            cursor.execute(_token_query(), [key_id])
            row = cursor.fetchone()
        if row is None:
            return None
        values = iter(row)
        token = _load(ApiToken, values)
        token.user = _load(User, values)
        org = _load(Organization, values)
        membership = _load(Membership, values)
        token.membership = membership if membership.pk is not None else None
        if token.membership is not None:
            token.membership.org, token.membership.user = org, token.user
        return token


def _load(model, values):
    """An instance of `model` from its columns' next values in a raw row, converted
    as the ORM converts them (SQLite hands back naive datetimes, for one)."""
    names, converted = [], []
    for field, col, converters in _columns(model):
        value = next(values)
        for converter in converters:
            value = converter(value, col, connection)
        names.append(field.attname)
        converted.append(value)
    return model.from_db(connection.alias, names, converted)


@cache
def _columns(model) -> list[tuple]:
    """Each concrete field of `model`, its column and the converters the database
    backend and the field apply to its values."""
    columns = []
    for field in model._meta.concrete_fields:
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(
            connection
        )
        columns.append((field, col, converters))
    return columns


@cache
def _token_query() -> str:
    quote = connection.ops.quote_name

    def columns(model, alias):
        return ", ".join(
            f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields
        )

    models = (ApiToken, User, ActiveOrg, Organization, Membership)
    tables = {model: quote(model._meta.db_table) for model in models}
    # Names come from the models; the key id is bound.
    return (
        f"SELECT {columns(ApiToken, 't')}, {columns(User, 'u')}, "  # noqa: S608
        f"{columns(Organization, 'o')}, {columns(Membership, 'm')} "
        f"FROM {tables[ApiToken]} t JOIN {tables[User]} u ON u.id = t.user_id "
        f"LEFT JOIN {tables[ActiveOrg]} a ON a.user_id = u.id "
        f"LEFT JOIN {tables[Membership]} m ON m.user_id = u.id "
        "AND m.org_id = COALESCE(t.bound_org_id, a.org_id) "
        f"LEFT JOIN {tables[Organization]} o ON o.id = m.org_id "
        "WHERE t.key_id = %s AND t.revoked_at IS NULL AND u.is_active"
    )
