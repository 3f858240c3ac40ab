"""A request that takes a while, for tests that stop a server while it is in
flight. Served only by tests/testapp/urls.py, never by the project's URLs."""

import time

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

SLOW_SECONDS = 2


@login_not_required
@csrf_exempt
@require_POST
def slow_write(request, name: str):
    """Waits SLOW_SECONDS, then stores a group named `name` and says so."""
    time.sleep(SLOW_SECONDS)
    Group.objects.create(name=name)
    return JsonResponse({"name": name}, status=201)
