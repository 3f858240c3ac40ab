"""What every API view shares: its base class and the one error envelope."""

import logging
import math
from contextlib import ExitStack, nullcontext

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import Credential
from config import errors
from config.context import PAGE, current_context
from orgs.context import caller_context

logger = logging.getLogger(__name__)

# Every exception class of rest_framework.exceptions, by the error it is to clients.
# `tests/config/test_api_errors.py` fails when DRF adds a class missing here.
_BY_DRF_EXCEPTION = {
    exceptions.APIException: errors.ApplicationError,  # 500, no detail
    exceptions.ParseError: errors.InvalidInput,
    exceptions.ValidationError: errors.InvalidInput,
    exceptions.AuthenticationFailed: errors.NotAuthenticated,
    exceptions.NotAuthenticated: errors.NotAuthenticated,
    exceptions.PermissionDenied: errors.PermissionDenied,
    exceptions.NotFound: errors.NotFound,
    exceptions.MethodNotAllowed: errors.MethodNotAllowed,
    exceptions.NotAcceptable: errors.NotAcceptable,
    exceptions.UnsupportedMediaType: errors.UnsupportedMediaType,
    exceptions.Throttled: errors.Throttled,
}


# The request header naming the org an API call is for (its id or slug).
ORG_HEADER = "X-Org"


class ApiView(APIView):
    """An API endpoint: DRF authenticates (401 when not); never a sign-in redirect;
    errors always in the JSON envelope. The view runs in its caller's Context."""

    def dispatch(self, request, *args, **kwargs):
        # Entered once DRF knows the caller (perform_authentication), left when the
        # view has answered, errors included.
        with ExitStack() as self._call:
            return super().dispatch(request, *args, **kwargs)

    def perform_authentication(self, request):
        super().perform_authentication(request)
        self._call.enter_context(_api_caller_context(request))

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        # LoginRequiredMiddleware would redirect token clients to a sign-in page;
        # DRF's authentication and permission classes guard these views instead.
        view.login_required = False
        return view

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "exception", False):
            # The envelope is JSON whatever the client asked for, even when the
            # failure is that it asked for something else (406), and whatever
            # renderers the view serves its answers with (the OpenAPI ones).
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


def _api_caller_context(request):
    """The Context of an API call: the session's, as the page middleware entered
    it, unless DRF found another caller (a token, an A2A JWT) or the call names its
    org in `X-Org` (this request only; members only, else 404)."""
    user = request.user if request.user.is_authenticated else None
    credential = request.auth if isinstance(request.auth, Credential) else None
    org_ref = request.headers.get(ORG_HEADER) or None
    if credential is None and org_ref is None and user == current_context().user:
        return nullcontext()
    return caller_context(
        user=user,
        caller=credential.caller if credential else PAGE,
        request=request._request,
        org_ref=org_ref,
        bound_org_id=credential.bound_org_id if credential else None,
        membership=credential.membership if credential else None,
        issuer=credential.issuer if credential else "",
        one_action=True,
    )


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
    if isinstance(exc, Http404):
        return errors.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return errors.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        return _from_drf(exc)
    return None


def _from_drf(exc: exceptions.APIException) -> errors.ApplicationError:
    """The envelope's error for one of DRF's: the nearest mapped class decides."""
    error_class = next(
        _BY_DRF_EXCEPTION[cls] for cls in type(exc).__mro__ if cls in _BY_DRF_EXCEPTION
    )
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail}
        )
        return errors.InvalidInput(fields=errors.field_errors(fields))
    if isinstance(exc, exceptions.ParseError):
        # Raised by the parsers, whose messages are written for the client.
        return errors.InvalidInput(str(exc.detail))
    if isinstance(exc, exceptions.Throttled):
        return errors.Throttled(retry_after=math.ceil(exc.wait) if exc.wait else None)
    if error_class is errors.ApplicationError:
        # Our bug, not the client's: the detail goes to the log, not the answer.
        logger.error("Unexpected API exception", exc_info=exc)
    return error_class()
