"""The actions a caller may run, as clients see them: tool definitions for
`GET /api/actions/`, and the documentation at `/api/docs/`."""

from drf_spectacular.settings import spectacular_settings

from actions import registry
from actions.schema import output_schema, serializer_schema


def describe(action: registry.Action) -> dict:
    """An action as agents and clients see it: usable as an LLM tool definition."""
    description = {
        "name": action.name,
        "description": action.description,
        "method": action.method,
        "methods": list(action.http_methods),
        "path": action_path(action),
        "read_only": action.read_only,
        "agent_tool": action.agent_tool,
        "input_schema": serializer_schema(action.input),
    }
    if action.output is not None:
        description["output_schema"] = output_schema(
            action.output, many=action.output_many
        )
    return description


def action_path(action: registry.Action) -> str:
    return f"/api/actions/{action.name}/"


def actions_for(ctx: registry.Context) -> list[registry.Action]:
    """The registered actions `ctx` may run (role and identity; not yet the input)."""
    return [action for action in registry.all_actions() if action.allows(ctx)]


def openapi_for(ctx: registry.Context) -> dict:
    """The OpenAPI document of `/api/schema/` without the operations of the actions
    `ctx` may not run."""
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS(
        urlconf=spectacular_settings.SERVE_URLCONF
    )
    document = generator.get_schema(request=None, public=True)
    hidden = {action_path(a) for a in registry.all_actions() if not a.allows(ctx)}
    document["paths"] = {
        path: item for path, item in document["paths"].items() if path not in hidden
    }
    return document
