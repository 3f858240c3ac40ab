"""The project's URLs plus the comparators the benchmarks measure against."""

import uuid

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response

from accounts.services import audit_record
from actions import registry, throttling
from config.api import ApiView
from notes.models import Note
from webhooks.models import WebhookEvent

CREATE_NOTE = registry.get("create-note")


class FairCreateNote(ApiView):
    """What a careful hand-written DRF view would do for `create-note`: the same
    token, throttle, validation, scoped insert, audit row and answer, without the
    registry and runner. The action's fair comparator."""

    def post(self, request):
        # ApiView has entered the caller's Context and scope, as for any API view.
        throttling.throttle(CREATE_NOTE, caller=f"user:{request.user.pk}")
        serializer = CREATE_NOTE.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            note = Note.objects.create(**serializer.validated_data)
            audit_record(action="note.created", target=note)
        return Response(CREATE_NOTE.output(note).data)


class BareCreateNote(ApiView):
    """The bare insert: the token and the scope it needs, nothing else."""

    def post(self, request):
        note = Note.objects.create(title=request.data.get("title", ""), body="")
        return Response({"id": note.pk, "title": note.title})


@csrf_exempt
@login_not_required
def durable_insert(request):
    """Webhook ingest's comparator: insert the body as one row, durably, answer."""
    WebhookEvent.objects.create(
        provider="bench", event_id=uuid.uuid4().hex, body=request.body
    )
    return JsonResponse({"received": 1})


@csrf_exempt
@login_not_required
def ok(request):
    """The ceiling: answer 200, do nothing."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [
    path("bench/fair-create-note/", FairCreateNote.as_view()),
    path("bench/bare-create-note/", BareCreateNote.as_view()),
    path("bench/durable-insert/", durable_insert),
    path("bench/ok/", ok),
    path("", include("config.urls")),
]
