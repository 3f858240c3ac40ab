"""Project-wide views: health, home, and the error pages."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
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
    """Liveness: 200 while the process answers. It asks nothing of the database,
    broker or cache, so an outage there never gets a healthy process restarted."""
    return JsonResponse({"status": "ok"})


@login_not_required
@csrf_exempt
@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when the database, broker and cache all answer, else 503
    naming the part(s) that did not, so a load balancer sends traffic elsewhere."""
    parts = {
        "database": "ok" if health.database_is_up() else "error",
        "broker": "ok" if health.broker_is_up() else "error",
        "cache": "ok" if health.cache_is_up() else "error",
    }
    ready = all(state == "ok" for state in parts.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", **parts},
        status=200 if ready else 503,
    )


@login_not_required
def home(request):
    return render(request, "home.html")


# Error handlers: API clients get the JSON envelope, people get a page. Neither
# carries the exception, the path's details or anything about the server.


# Paths whose callers are programs: the API, webhook providers and agents.
MACHINE_PATHS = ("/api/", "/webhooks/", "/a2a/", "/mcp")


def _wants_json(request) -> bool:
    return request.path.startswith(MACHINE_PATHS)


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
    """A 500, or a 503 with Retry-After when the database could not be reached
    (clients and webhook providers retry a 503; the request's transaction is lost)."""
    # Django calls this while handling the exception, so it is still current.
    if health.is_database_outage(sys.exception()):
        error, template = errors.ServiceUnavailable(), "503.html"
    else:
        error, template = errors.ApplicationError(), "500.html"
    if _wants_json(request):
        return errors.error_response(error)
    # Rendered without a request context: whatever broke the request (a context
    # processor, the database) must not break its error page too.
    return HttpResponse(
        loader.get_template(template).render(),
        status=error.status,
        headers=errors.error_headers(error),
    )
