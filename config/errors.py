"""The one error hierarchy and the one error envelope.

Services raise `ApplicationError` subclasses; the API and the CLI turn them into
`{"error": {"code", "message", "fields"}}` with the status below, pages into messages.
"""

from http import HTTPStatus

from django.http import JsonResponse


class ApplicationError(Exception):
    """A failure a caller can act on. The message is shown to people as is."""

    code = "internal_error"
    status = HTTPStatus.INTERNAL_SERVER_ERROR
    default_message = "Something went wrong on our side."

    def __init__(self, message: str | None = None, *, fields: dict | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(self.message)


class InvalidInput(ApplicationError):
    code = "invalid_input"
    status = HTTPStatus.BAD_REQUEST
    default_message = "The input is not valid."


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status = HTTPStatus.UNAUTHORIZED
    default_message = "Sign in or send a valid token."


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = HTTPStatus.FORBIDDEN
    default_message = "You are not allowed to do this."


class NotFound(ApplicationError):
    code = "not_found"
    status = HTTPStatus.NOT_FOUND
    default_message = "Not found."


class MethodNotAllowed(ApplicationError):
    code = "method_not_allowed"
    status = HTTPStatus.METHOD_NOT_ALLOWED
    default_message = "This method is not allowed here."


class NotAcceptable(ApplicationError):
    """The client's `Accept` names no type the API can send (it sends JSON)."""

    code = "not_acceptable"
    status = HTTPStatus.NOT_ACCEPTABLE
    default_message = "This API answers in JSON only; accept application/json."


class UnsupportedMediaType(ApplicationError):
    """The request has a body in a format the API does not read (it reads JSON)."""

    code = "unsupported_media_type"
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    default_message = "Send the body as JSON, with Content-Type: application/json."


class Conflict(ApplicationError):
    code = "conflict"
    status = HTTPStatus.CONFLICT
    default_message = "This conflicts with the current state."


class Throttled(ApplicationError):
    code = "throttled"
    status = HTTPStatus.TOO_MANY_REQUESTS
    default_message = "Too many requests; try again later."

    def __init__(self, message: str | None = None, *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after_seconds = retry_after


class ServiceUnavailable(ApplicationError):
    """A part the request needs (the database) cannot be reached right now."""

    code = "service_unavailable"
    status = HTTPStatus.SERVICE_UNAVAILABLE
    default_message = "The service is briefly unavailable; try again shortly."
    retry_after_seconds = 5


def field_errors(errors_: dict) -> dict:
    """DRF's nested error detail as {field: [message, ...]} for the envelope."""

    def flatten(value):
        if isinstance(value, dict):
            return [f"{key}: {m}" for key, item in value.items() for m in flatten(item)]
        if isinstance(value, list):
            return [m for item in value for m in flatten(item)]
        return [str(value)]

    return {str(name): flatten(messages) for name, messages in errors_.items()}


def error_body(error: ApplicationError) -> dict:
    """The envelope for `error`, as a dict."""
    body = {"code": error.code, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    return {"error": body}


def error_response(error: ApplicationError) -> JsonResponse:
    """The envelope for `error` as an HTTP response with its status."""
    return JsonResponse(
        error_body(error), status=error.status, headers=error_headers(error)
    )


def error_headers(error: ApplicationError) -> dict[str, str]:
    """Headers that go with `error` whatever the body: when to try again."""
    retry_after = getattr(error, "retry_after_seconds", None)
    if retry_after is not None:
        return {"Retry-After": str(retry_after)}
    return {}
