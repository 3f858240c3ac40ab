"""The HTTP side of actions: methods, names, CSRF, throttling, errors."""

import json
import logging

import pytest
from django.test import Client

from actions import registry
from scoping.scopes import unscoped
from tests.actions.conftest import call
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db


def test_a_write_takes_post_only_405_in_the_envelope_with_allow(world):
    client = Client()
    client.force_login(world.alice)
    for method in ("get", "head", "put", "patch", "delete"):
        response = getattr(client, method)("/api/actions/create-memo/")
        assert response.status_code == 405, method
        assert response["Allow"] == "POST, OPTIONS"
        if method != "head":  # HEAD answers carry no body
            assert response.json()["error"]["code"] == "method_not_allowed"
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="").exists()


def test_a_read_takes_get_head_and_post_with_the_same_result(world):
    client = Client()
    client.force_login(world.alice)
    path = "/api/actions/list-memos/"
    by_get = client.get(path, {"limit": "5", "q": "alice"})
    by_post = client.post(
        path, {"limit": 5, "q": "alice"}, content_type="application/json"
    )
    by_head = client.head(path, {"limit": "5", "q": "alice"})
    assert by_get.status_code == by_post.status_code == by_head.status_code == 200
    assert by_get.json() == by_post.json()
    assert [memo["title"] for memo in by_get.json()] == ["alice's memo"]
    assert by_head.content == b""
    assert by_get["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert client.put(path).status_code == 405


def test_agent_sql_travels_in_a_json_body(world):
    """db-query is a read; its SQL and parameters need not go in the URL."""
    response = call(world.alice, "db-query", {"sql": "SELECT 1"})  # GET, as before
    assert response.status_code == 200
    client = Client()
    client.force_login(world.alice)
    response = client.post(
        "/api/actions/db-query/",
        {
            "sql": "SELECT title FROM testapp_memo WHERE id = ?",
            "params": [world.alice_memo.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == [["alice's memo"]]


def test_the_action_list_names_every_method_an_action_answers(world):
    client = Client()
    client.force_login(world.alice)
    listed = {a["name"]: a for a in client.get("/api/actions/").json()["actions"]}
    assert listed["list-memos"]["methods"] == ["GET", "HEAD", "POST"]
    assert listed["create-memo"]["methods"] == ["POST"]


def test_unknown_action_is_404_in_the_envelope(world):
    response = call(world.alice, "no-such-action", {})
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "There is no action named 'no-such-action'.",
    }


def test_read_only_actions_take_lists_as_key_brackets(world):
    client = Client()
    client.force_login(world.alice)
    response = client.get(
        "/api/actions/db-query/",
        {
            "sql": "SELECT title FROM testapp_memo WHERE id IN (?, ?)",
            "params[]": [str(world.alice_memo.pk), str(world.bob_memo.pk)],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == [["alice's memo"]]


def test_a_refused_sql_statement_is_400_saying_why(world):
    response = call(world.alice, "db-query", {"sql": "SELECT * FROM accounts_user"})
    assert response.status_code == 400
    assert "not available to agents" in response.json()["error"]["message"]


def test_malformed_json_is_400(world):
    client = Client()
    client.force_login(world.alice)
    response = client.post(
        "/api/actions/create-memo/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_session_posts_need_csrf_and_token_posts_do_not(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.alice)
    body = json.dumps({"title": "csrf"})
    refused = browser.post(
        "/api/actions/create-memo/", body, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    browser.get("/")  # receives the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/actions/create-memo/",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200
    by_token = call(
        world.alice,
        "create-memo",
        {"title": "token"},
        client=Client(enforce_csrf_checks=True),
    )
    assert by_token.status_code == 200
    with unscoped(reason="test"):
        assert Memo.objects.filter(title__in=["csrf", "token"]).count() == 2


def test_throttling_is_per_user_and_per_action(world, monkeypatch):
    action = registry.get("create-memo")
    monkeypatch.setattr(type(action), "throttle_rate", "2/min")
    statuses = [
        call(world.alice, "create-memo", {"title": f"n{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    throttled = call(world.alice, "create-memo", {"title": "again"})
    assert throttled.json()["error"]["code"] == "throttled"
    assert "Retry-After" in throttled
    assert call(world.carol, "create-memo", {"title": "carol"}).status_code == 200
    assert call(world.alice, "list-memos").status_code == 200


def test_an_unexpected_failure_is_500_without_detail_and_logged(
    world, monkeypatch, caplog
):
    from tests.testapp import services

    def broken(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(services, "memo_create", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    response = client.post(
        "/api/actions/create-memo/",
        {"title": "x"},
        content_type="application/json",
        headers={"X-Request-ID": "req-broken-0001"},
    )
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "Something went wrong on our side.",
        }
    }
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.exc_info[0] is RuntimeError  # the detail is in the log…
    assert error.request.request_id == "req-broken-0001"  # …with the request id
    assert "hunter2" not in response.content.decode()  # …and not in the answer


def test_the_list_shows_what_the_caller_may_run(world, erin):
    def names(user):
        client = Client()
        client.force_login(user)
        return {a["name"] for a in client.get("/api/actions/").json()["actions"]}

    assert "delete-org" in names(world.alice)  # owner
    assert "delete-org" not in names(erin)  # admin
    assert "rename-org" in names(erin)
    assert "rename-org" not in names(world.carol)  # member
    assert "create-memo" in names(world.carol)
