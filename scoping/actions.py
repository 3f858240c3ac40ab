"""Agent SQL as actions: `db-query` and `db-exec`, through the scoping guard."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.registry import Action, register
from orgs.models import Role
from scoping import agent_sql


@extend_schema_field({"type": ["string", "number", "boolean"]})
class SqlParameter(serializers.JSONField):
    """The value of one `?`: a scalar or null (agent_sql refuses anything else)."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)


class SqlInput(serializers.Serializer):
    sql = serializers.CharField(
        max_length=10_000,
        help_text="One statement; `?` marks each parameter. Only your scoped tables.",
    )
    params = serializers.ListField(
        child=SqlParameter(),
        required=False,
        default=list,
        max_length=100,
        help_text="The values of the `?` placeholders, in order.",
    )


class QueryOutput(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())
    truncated = serializers.BooleanField()


class ExecOutput(serializers.Serializer):
    rowcount = serializers.IntegerField()


@register
class DbQuery(Action):
    name = "db-query"
    description = (
        "Run one read-only SELECT on your data (scoped tables only, results capped). "
        "Refused statements say why."
    )
    input = SqlInput
    output = QueryOutput
    read_only = True
    org_role = Role.MEMBER
    throttle_rate = "60/min"
    tags = ("sql",)

    def run(self, ctx, data):
        result = agent_sql.run_query(data["sql"], data["params"])
        return {
            "columns": result.columns,
            "rows": result.rows,
            "truncated": result.truncated,
        }


@register
class DbExec(Action):
    name = "db-exec"
    description = (
        "Run one INSERT, UPDATE or DELETE on your data (scoped tables only; "
        "owner_email and org_id are set for you). Refused statements say why."
    )
    input = SqlInput
    output = ExecOutput
    destructive = True
    org_role = Role.MEMBER
    throttle_rate = "30/min"
    tags = ("sql",)

    def run(self, ctx, data):
        return {"rowcount": agent_sql.run_exec(data["sql"], data["params"])}
