"""What every API view shares: its base class and the one error envelope."""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from config import errors

_BY_DRF_EXCEPTION = [
    (exceptions.NotAuthenticated, errors.NotAuthenticated),
    (exceptions.AuthenticationFailed, errors.NotAuthenticated),
    (exceptions.PermissionDenied, errors.PermissionDenied),
    (exceptions.NotFound, errors.NotFound),
    (exceptions.MethodNotAllowed, errors.MethodNotAllowed),
]


class ApiView(APIView):
    """An API endpoint: DRF authenticates (401 when not); never a sign-in redirect."""

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        # LoginRequiredMiddleware would redirect token clients to a sign-in page;
        # DRF's authentication and permission classes guard these views instead.
        view.login_required = False
        return view


def exception_handler(exc, context):
    """Turn any expected failure into the envelope; let the rest become a 500."""
    error = _application_error(exc)
    if error is None:
        return None
    response = Response(
        errors.error_body(error),
        status=error.status,
        headers=errors.error_headers(error),
    )
    if isinstance(error, errors.NotAuthenticated):
        request = context["request"]
        authenticators = getattr(request, "authenticators", None) or []
        if authenticators:
            response["WWW-Authenticate"] = authenticators[0].authenticate_header(
                request
            )
    return response


def _application_error(exc) -> errors.ApplicationError | None:
    if isinstance(exc, errors.ApplicationError):
        return exc
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail}
        )
        return errors.InvalidInput(fields=errors.field_errors(fields))
    if isinstance(exc, exceptions.ParseError):
        return errors.InvalidInput("The request body is not valid JSON.")
    if isinstance(exc, exceptions.Throttled):
        return errors.Throttled(retry_after=math.ceil(exc.wait) if exc.wait else None)
    if isinstance(exc, Http404):
        return errors.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return errors.PermissionDenied()
    for drf_class, error_class in _BY_DRF_EXCEPTION:
        if isinstance(exc, drf_class):
            return error_class()
    return None
