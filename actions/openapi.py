"""OpenAPI (drf-spectacular) for the API: one operation per action and method.

Schemas come from `actions.schema`, the converter that also writes the tools'
JSON Schemas, so `/api/schema/` and `/api/actions/` say the same thing. Every
operation documents every error status the API can give, all with the one
envelope (`Error`, from `config.errors`), and the credentials it takes.
"""

from http import HTTPStatus

from django.apps import apps
from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from actions.schema import output_schema, query_schema, serializer_schema
from config import errors
from config.api import ORG_HEADER

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error envelope of the API.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable, snake_case: what went wrong.",
                },
                "message": {"type": "string", "description": "For a person."},
                "fields": {
                    "type": "object",
                    "description": "The input fields at fault, with what is wrong.",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "string"},
                    },
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}
# `GET /api/actions/`: catalog.describe() for each action the caller may run.
ACTION_LIST_SCHEMA = {
    "type": "object",
    "properties": {
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "method": {"type": "string", "enum": ["GET", "POST"]},
                    "methods": {
                        "type": "array",
                        "items": {"type": "string", "enum": ["GET", "HEAD", "POST"]},
                    },
                    "path": {"type": "string"},
                    "read_only": {"type": "boolean"},
                    "agent_tool": {"type": "boolean"},
                    "input_schema": {
                        "type": "object",
                        "description": "JSON Schema (2020-12) of the input.",
                    },
                    "output_schema": {
                        "type": "object",
                        "description": "JSON Schema (2020-12) of the result.",
                    },
                },
                "required": [
                    "name",
                    "description",
                    "method",
                    "methods",
                    "path",
                    "read_only",
                    "agent_tool",
                    "input_schema",
                ],
            },
        }
    },
    "required": ["actions"],
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}
# Headers that come with an error whatever the operation.
_ERROR_HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": "The scheme to authenticate with (Bearer).",
            "schema": {"type": "string"},
        }
    },
    429: _RETRY_AFTER,
    503: _RETRY_AFTER,
}


def client_errors() -> dict[int, list[type[errors.ApplicationError]]]:
    """The errors an API call can end in, by status: every class `config.errors`
    declares but the bare 500, which no client input may cause."""
    by_status = {}
    for error in vars(errors).values():
        if (
            isinstance(error, type)
            and issubclass(error, errors.ApplicationError)
            and error.status != HTTPStatus.INTERNAL_SERVER_ERROR
        ):
            by_status.setdefault(int(error.status), []).append(error)
    return dict(sorted(by_status.items()))


class ActionSchema(AutoSchema):
    """Describe an API view; an ActionView by the action it serves."""

    @property
    def action(self):
        return getattr(self.view, "action", None)

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(
            path, path_regex, path_prefix, method, registry
        )
        if operation is not None:
            operation["responses"].update(self._error_responses())
        return operation

    def get_operation_id(self):
        if self.action is None:
            return super().get_operation_id()
        if self.method == self.action.method:
            return self.action.name
        # A read also answers POST: the same action, a second operation.
        return f"{self.action.name}-{self.method.lower()}"

    def get_description(self):
        if self.action is None:
            return super().get_description()
        if self.action.read_only and self.method == "POST":
            return (
                f"{self.action.description}\n\nThe same as `GET`, with the input "
                "as a JSON body instead of query parameters."
            )
        return self.action.description

    def get_tags(self):
        if self.action is None:
            return super().get_tags()
        return ["actions", *self.action.tags]

    def get_request_serializer(self):
        if self.action is None:
            return super().get_request_serializer()
        return self.action.input if self.method == "POST" else None

    def get_response_serializers(self):
        if self.action is None:
            return super().get_response_serializers()
        output = self.action.output
        result = (
            OpenApiTypes.ANY if output is None else output(many=self.action.output_many)
        )
        return {200: OpenApiResponse(result, description="The action's result.")}

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), ORG_PARAMETER]
        if self.action is None or self.method != "GET":
            return parameters
        return parameters + [
            _query_parameter(name, field)
            for name, field in self.action.input().fields.items()
            if not field.read_only
        ]

    def get_serializer_name(self, serializer, direction):
        """The class name after its app's label (`NotesDeleted`, `AccountsDeleted`):
        two apps may name a serializer alike, a component name must be unique."""
        app = apps.get_containing_app_config(type(serializer).__module__)
        prefix = app.label.title().replace("_", "") if app is not None else ""
        return prefix + super().get_serializer_name(serializer, direction)

    def _error_responses(self) -> dict:
        envelope = ResolvedComponent(
            name=ERROR_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            object=ERROR_COMPONENT,
            schema=ERROR_SCHEMA,
        )
        self.registry.register_on_missing(envelope)
        responses = {}
        for status, error_classes in client_errors().items():
            response = {
                "description": " ".join(
                    f"`{error.code}`: {error.default_message}"
                    for error in error_classes
                ),
                "content": {"application/json": {"schema": envelope.ref}},
            }
            if headers := _ERROR_HEADERS.get(status):
                response["headers"] = headers
            responses[str(status)] = response
        return responses


ORG_PARAMETER = OpenApiParameter(
    name=ORG_HEADER,
    type={"type": "string", "pattern": r"^[-A-Za-z0-9_]{1,100}$"},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The organization this call acts in, by id or slug, for this request only "
        "(the active org is unchanged). Only an org the caller is a member of: any "
        "other answers 404. A token made for one org cannot name another. Without "
        "it: the org the credential is bound to, else the caller's active org."
    ),
)


def _query_parameter(name, field) -> OpenApiParameter:
    """An input field as a query parameter, the way `query_input` reads it: a list
    as `name[]=a&name[]=b`, anything else once."""
    schema = query_schema(field)
    description = schema.pop("description", "")
    if schema.get("type") == "array":
        return OpenApiParameter(
            name=f"{name}[]",
            type=schema,
            location=OpenApiParameter.QUERY,
            required=field.required,
            description=description,
            style="form",
            explode=True,
        )
    return OpenApiParameter(
        name=name,
        type=schema,
        location=OpenApiParameter.QUERY,
        required=field.required,
        description=description,
    )


class SerializerSchema(OpenApiSerializerExtension):
    """Every serializer's schema from `actions.schema`, the converter the tools'
    JSON Schemas come from."""

    target_class = "rest_framework.serializers.Serializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        if direction == "request":
            return serializer_schema(self.target)
        return output_schema(self.target)


# --- Credentials (DEFAULT_AUTHENTICATION_CLASSES) ------------------------------------


class SessionScheme(OpenApiAuthenticationExtension):
    """The browser's session cookie; unsafe methods also need the CSRF token."""

    target_class = "accounts.authentication.SessionAuthentication"
    name = ["session", "csrf"]

    def get_security_definition(self, auto_schema):
        header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
        return [
            {
                "type": "apiKey",
                "in": "cookie",
                "name": settings.SESSION_COOKIE_NAME,
                "description": "The session of a signed-in browser.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": header,
                "description": "With the session, on unsafe methods: the value of "
                f"the `{settings.CSRF_COOKIE_NAME}` cookie.",
            },
        ]

    def get_security_requirement(self, auto_schema):
        if auto_schema.method in SAFE_METHODS:
            return {"session": []}
        return {"session": [], "csrf": []}


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    match_subclasses = True
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "pat_<key id>_<secret>",
            "description": "A personal API token, made on the account page.",
        }


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.AccessTokenAuthentication"
    match_subclasses = True
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A static token from the ACCESS_TOKENS setting, bound to "
            "a user, for clients that cannot sign in.",
        }


class A2AJWTScheme(OpenApiAuthenticationExtension):
    target_class = "a2a.authentication.A2AJWTAuthentication"
    match_subclasses = True
    name = "a2aJwt"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Another app's agent: a JWT signed with A2A_SECRET "
            "(HS256), as on /a2a/.",
        }
