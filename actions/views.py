"""HTTP for actions: the list (`GET /api/actions/`), one view per action, the
OpenAPI document and the documentation page."""

import json

from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from actions import catalog, registry, runner
from actions.openapi import ACTION_LIST_SCHEMA
from config.api import ApiView
from config.errors import NotFound


@extend_schema(responses={200: ACTION_LIST_SCHEMA})
class ActionListView(ApiView):
    """`GET /api/actions/`: the actions the caller may run."""

    def get(self, request):
        actions = catalog.actions_for(request.ctx)
        return Response({"actions": [catalog.describe(a) for a in actions]})


class ActionView(ApiView):
    """One action. A read answers GET and HEAD (query parameters) and POST (a JSON
    body) alike; a write answers POST only (405 with `Allow` otherwise)."""

    action: registry.Action | None = None

    @classmethod
    def for_action(cls, action: registry.Action):
        methods = [method.lower() for method in action.http_methods]
        return cls.as_view(action=action, http_method_names=[*methods, "options"])

    def get_permissions(self):
        return [AllowAny() if not self.action.requires_auth else IsAuthenticated()]

    def get(self, request):
        return self._run(request, query_input(request.query_params))

    def post(self, request):
        return self._run(request, request.data)

    def _run(self, request, data):
        result = runner.execute(self.action, request.ctx, data)
        return Response(result)


@extend_schema(exclude=True)  # a fallback, not an endpoint
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


@require_safe
def docs(request):
    """`/api/docs/`: the actions the signed-in caller may run, listed on the page
    (useful without JavaScript) and in Swagger UI, whose files and start-up script
    are served from this origin under the strict CSP. Signed out,
    LoginRequiredMiddleware sends people to sign in, and back here after."""
    ctx = request.ctx
    actions = [
        {
            **described,
            "input_schema_json": json.dumps(described["input_schema"], indent=2),
        }
        for described in map(catalog.describe, catalog.actions_for(ctx))
    ]
    return render(
        request,
        "actions/docs.html",
        {"actions": actions, "openapi": catalog.openapi_for(ctx)},
    )


class SchemaView(ApiView, SpectacularAPIView):
    """`/api/schema/`: the OpenAPI document, for signed-in callers."""

    # JSON only (`application/vnd.oai.openapi+json` or `application/json`); errors
    # come back in the JSON envelope used everywhere under /api/.
    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2]
