"""HTTP for actions: the list (`GET /api/actions/`) and one view per action."""

import json

from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import render
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from actions import registry, runner
from actions.context import context_for_request
from actions.schema import output_schema, serializer_schema
from config.api import ApiView
from config.errors import NotFound


def describe(action: registry.Action) -> dict:
    """An action as agents and clients see it: usable as an LLM tool definition."""
    description = {
        "name": action.name,
        "description": action.description,
        "method": action.method,
        "path": f"/api/actions/{action.name}/",
        "read_only": action.read_only,
        "agent_tool": action.agent_tool,
        "input_schema": serializer_schema(action.input),
    }
    if action.output is not None:
        description["output_schema"] = output_schema(action.output)
    return description


class ActionListView(ApiView):
    """`GET /api/actions/`: the actions the caller may run."""

    def get(self, request):
        ctx = context_for_request(request)
        return Response(
            {"actions": [describe(a) for a in registry.all_actions() if a.allows(ctx)]}
        )


class ActionView(ApiView):
    """One action: GET with query parameters if read-only, else POST with JSON."""

    action: registry.Action | None = None

    @classmethod
    def for_action(cls, action: registry.Action):
        methods = ["get", "options"] if action.read_only else ["post", "options"]
        return cls.as_view(action=action, http_method_names=methods)

    def get_permissions(self):
        return [AllowAny() if not self.action.requires_auth else IsAuthenticated()]

    def get(self, request):
        return self._run(request, query_input(request.query_params))

    def post(self, request):
        return self._run(request, request.data)

    def _run(self, request, data):
        result = runner.execute(self.action, context_for_request(request), data)
        return Response(result)


class UnknownActionView(ApiView):
    """A name no action has: 404 in the envelope (401 first for anonymous callers)."""

    def get(self, request, name):
        raise NotFound(f"There is no action named {name!r}.")

    post = get


def query_input(params) -> dict:
    """Query parameters as action input: `tag[]=a&tag[]=b` is a list, others single."""
    data = {}
    for key in params:
        if key.endswith("[]"):
            data[key[:-2]] = params.getlist(key)
        else:
            data[key] = params.get(key)
    return data


@user_passes_test(lambda user: user.is_staff)
def docs(request):
    """Every action with its input schema, for staff: a readable companion to
    /api/schema/ (OpenAPI)."""
    actions = [describe(action) for action in registry.all_actions()]
    for action in actions:
        action["input_schema_json"] = json.dumps(action["input_schema"], indent=2)
    return render(request, "actions/docs.html", {"actions": actions})


class SchemaView(ApiView, SpectacularAPIView):
    """`/api/schema/`: the OpenAPI document, for signed-in callers."""

    # JSON only, so errors come back in the JSON envelope used everywhere under /api/.
    renderer_classes = [OpenApiJsonRenderer]
