"""The project's URLs plus public views that fail in each way, for error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection, transaction
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

SECRET_IN_EXCEPTION = "s3cr3t-detail-that-must-not-leak"


@login_not_required
def boom(request):
    raise RuntimeError(SECRET_IN_EXCEPTION)


@login_not_required
def bad_sql(request):
    """A statement that fails with OperationalError on a connection that works."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT * FROM {SECRET_IN_EXCEPTION.replace('-', '_')}")
        else:
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")


@login_not_required
def forbidden(request):
    raise PermissionDenied(SECRET_IN_EXCEPTION)


@login_not_required
def suspicious(request):
    raise SuspiciousOperation(SECRET_IN_EXCEPTION)


@login_not_required
def uses_nonce(request):
    template = Template("<script nonce='{{ csp_nonce }}'>1</script>")
    return HttpResponse(template.render(RequestContext(request)))


@login_not_required
def with_secret_in_path(request, token):
    return HttpResponse("ok")


urlpatterns = [
    path("test/invitations/<str:token>/", with_secret_in_path),
    *project_urlpatterns,
    path("test/boom", boom),
    path("api/test/boom", boom),
    path("api/test/bad-sql", bad_sql),
    path("test/forbidden", forbidden),
    path("api/test/forbidden", forbidden),
    path("test/suspicious", suspicious),
    path("test/nonce", uses_nonce),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
