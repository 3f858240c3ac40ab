"""Project-wide views: health, home, and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from config import errors, health


@login_not_required
@csrf_exempt
@never_cache
@require_GET
def healthz(request):
    """Answer 200 when the database and broker are reachable, else 503 naming which."""
    parts = {
        "database": "ok" if health.database_is_up() else "error",
        "broker": "ok" if health.broker_is_up() else "error",
    }
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **parts},
        status=200 if healthy else 503,
    )


@login_not_required
def home(request):
    return render(request, "home.html")


# Error handlers: API clients get the JSON envelope, people get a page. Neither
# carries the exception, the path's details or anything about the server.


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _error(request, error: errors.ApplicationError, template: str):
    if _wants_json(request):
        return errors.error_response(error)
    return render(request, template, status=error.status)


def bad_request(request, exception=None):
    return _error(
        request, errors.InvalidInput("The request was not valid."), "400.html"
    )


def permission_denied(request, exception=None):
    return _error(request, errors.PermissionDenied(), "403.html")


def page_not_found(request, exception=None):
    return _error(request, errors.NotFound(), "404.html")


def server_error(request):
    if _wants_json(request):
        return errors.error_response(errors.ApplicationError())
    # Rendered without a request context: whatever broke the request (a context
    # processor, the database) must not break its error page too.
    return HttpResponseServerError(loader.get_template("500.html").render())
