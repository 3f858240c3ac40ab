"""Requests run in their user's scope; anonymous ones see nothing; staff in the admin
run unscoped, and that is audited."""

import html

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path

from accounts.models import AuditEvent
from scoping.scopes import unscoped
from tests.factories import UserFactory
from tests.testapp.models import Memo

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@login_not_required
def memo_titles(request):
    return JsonResponse(
        {"titles": sorted(Memo.objects.values_list("title", flat=True))}
    )


def write_then_crash(request):
    Memo.objects.create(title="half-done")
    raise RuntimeError("a bug after a write")


urlpatterns = [
    path("titles/", memo_titles),
    path("write-then-crash/", write_then_crash),
    path("", include("config.urls")),
]


def test_a_signed_in_request_sees_its_users_rows(client, world):
    client.force_login(world.alice)
    assert client.get("/titles/").json() == {"titles": ["alice's memo"]}
    client.force_login(world.bob)
    assert client.get("/titles/").json() == {"titles": ["bob's memo"]}


def test_an_anonymous_request_sees_nothing(client, world):
    assert client.get("/titles/").json() == {"titles": []}


def test_the_active_org_decides_the_scope(client, world):
    from orgs import services

    services.org_create(user=world.carol, name="Carol's side project", switch=True)
    client.force_login(world.carol)
    # The side project is her active org: none of her memos are there.
    assert client.get("/titles/").json() == {"titles": []}
    services.active_org_switch(user=world.carol, org=world.acme)
    assert client.get("/titles/").json() == {"titles": ["carol's memo"]}


def test_staff_in_the_admin_see_every_row_and_reading_is_not_audited(client, world):
    """Reading the admin is not an audit event per page view (its changes are in
    Django's admin log, below); `unscoped()` anywhere else stays audited."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.get("/")  # their first request makes their workspace (audited)
    before = AuditEvent.objects.count()
    page = html.unescape(client.get("/admin/testapp/memo/").content.decode())
    for title in ("alice's memo", "bob's memo", "carol's memo"):
        assert title in page
    assert AuditEvent.objects.count() == before
    with unscoped(reason="a data fix"):
        pass
    assert AuditEvent.objects.filter(action="scoping.unscoped").count() == 1


def test_staff_outside_the_admin_are_scoped_like_anyone(client, world):
    world.alice.is_staff = True
    world.alice.save()
    client.force_login(world.alice)
    assert client.get("/titles/").json() == {"titles": ["alice's memo"]}


def test_every_admin_change_is_in_djangos_admin_log(client, world):
    from django.contrib.admin.models import LogEntry

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    memo = world.bob_memo
    response = client.post(
        f"/admin/testapp/memo/{memo.pk}/change/",
        {
            "title": "fixed by support",
            "body": "",
            "owner_email": memo.owner_email,
            "org": str(memo.org_id),
            "folder": "",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get(user=staff, object_id=str(memo.pk))
    assert entry.is_change()


@pytest.mark.django_db(transaction=True)
def test_a_view_that_fails_after_writing_leaves_nothing_written(world):
    """Django answers the view's exception with a 500 before the scope ends; the
    scope's transaction is rolled back, not committed with half the work."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    assert client.get("/write-then-crash/").status_code == 500
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="half-done").exists()
