"""The project's URLs plus the test app's own views, for app processes a test
starts (tests.testapp.settings serves them): a view that fails on purpose, for
what a running server reports about an error, and a slow write
(tests/testapp/views.py), for shutdown under load."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as project_urlpatterns
from tests.testapp import views

logger = logging.getLogger(__name__)
FAILURE = "the failing view failed"


@login_not_required
@csrf_exempt
def fail(request, token):
    """Read the posted form, log a line naming what it holds, then raise: all that
    a careless view would leave in an error report. (Its path carries a `token`,
    as an invitation's does.)"""
    form = request.POST
    logger.warning("failing with password=%s", form.get("password", ""))
    raise RuntimeError(f"{FAILURE} ({len(form)} fields)")


urlpatterns = [
    path("test/fail/<str:token>/", fail),
    path("test/slow-write/<str:name>/", views.slow_write),
    *project_urlpatterns,
]
