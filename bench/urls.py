"""The project's URLs plus the baselines the benchmarks compare against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response

from config.api import ApiView
from notes.models import Note
from scoping.scopes import scope


class PlainCreateNote(ApiView):
    """The same insert as `create-note`, as a plain DRF view: no registry, no runner,
    no audit; the scope it needs is the only extra."""

    def post(self, request):
        org = request.user.memberships.first().org_id
        with scope(owner_email=request.user.email, org_id=org):
            note = Note.objects.create(title=request.data.get("title", ""), body="")
        return Response({"id": note.pk, "title": note.title})


@csrf_exempt
@login_not_required
def ok(request):
    """The ceiling for webhook ingest: answer 200, do nothing."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [
    path("bench/plain-create-note/", PlainCreateNote.as_view()),
    path("bench/ok/", ok),
    path("", include("config.urls")),
]
