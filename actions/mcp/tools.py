"""The registry's actions as MCP tools: their definitions and their results."""

import json

from accounts.oauth.scopes import MCP_READ, MCP_WRITE
from actions import catalog, registry
from actions.schema import output_schema, serializer_schema
from config.errors import ApplicationError, error_body

# What a list result is wrapped in: a tool's structured result is an object.
LIST_KEY = "items"


def required_scope(action: registry.Action) -> str:
    """The scope a grant needs to run `action`: reads take `mcp:read`, every other
    action `mcp:write` (which carries no read rights by itself)."""
    return MCP_READ if action.read_only else MCP_WRITE


def may_write(scopes: frozenset[str]) -> bool:
    """Whether a grant of `scopes` may run actions that write."""
    return MCP_WRITE in scopes


def permits(scopes: frozenset[str] | None, action: registry.Action) -> bool:
    """Whether a credential with `scopes` may run `action` (None: no limit beyond
    the user's roles, as personal and static tokens have)."""
    return scopes is None or required_scope(action) in scopes


def tool_action(name) -> registry.Action | None:
    """The action a tool name stands for: registered and offered as a tool."""
    action = registry.get(name) if isinstance(name, str) else None
    return action if action is not None and action.agent_tool else None


def tools_for(ctx, scopes: frozenset[str] | None) -> list[dict]:
    """The tools `ctx` may call with `scopes`: the agent tools among the actions its
    role allows (`actions.catalog.actions_for`), each as MCP lists it."""
    return [
        definition(action)
        for action in catalog.actions_for(ctx)
        if action.agent_tool and permits(scopes, action)
    ]


def definition(action: registry.Action) -> dict:
    """The tool as `tools/list` has it, with the schemas the actions API publishes."""
    tool = {
        "name": action.name,
        "title": action.name.replace("-", " ").capitalize(),
        "description": action.description,
        "inputSchema": serializer_schema(action.input),
        "annotations": {
            "readOnlyHint": action.read_only,
            # The spec takes an unstated hint for true: say it for every write.
            "destructiveHint": action.destructive and not action.read_only,
            "openWorldHint": False,
        },
    }
    if action.output is not None:
        tool["outputSchema"] = _object_schema(action)
    return tool


def _object_schema(action: registry.Action) -> dict:
    """The output's schema as an object, as the spec requires of `outputSchema`: a
    list comes wrapped under LIST_KEY (and so does its structured result)."""
    schema = output_schema(action.output, many=action.output_many)
    if not action.output_many:
        return schema
    return {
        "type": "object",
        "properties": {LIST_KEY: schema},
        "required": [LIST_KEY],
    }


def success(action: registry.Action, output) -> dict:
    """A tool result: the output as JSON text, and as structured content when it is
    (or, for a list, is wrapped as) an object."""
    structured = {LIST_KEY: output} if action.output_many else output
    result = {"content": [_text(output)], "isError": False}
    if isinstance(structured, dict):
        result["structuredContent"] = structured
    return result


def failure(error: ApplicationError) -> dict:
    """A refused or failed call, as a tool result the model reads and can act on:
    the error envelope (code, message, field messages) as JSON text."""
    return {"content": [_text(error_body(error))], "isError": True}


def _text(value) -> dict:
    return {"type": "text", "text": json.dumps(value, default=str)}
