"""The A2A 1.0 JSON-RPC methods, the agent card, and tasks that never cross users."""

import uuid

import pytest

from a2a.models import A2ATask
from a2a.tokens import sign
from accounts.models import AuditEvent
from scoping.scopes import unscoped
from tests.a2a.conftest import action_message, rpc
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db
AUD = "http://testserver/a2a/"


def token_for(user, **kwargs):
    return sign(sub=user.email, aud=AUD, **kwargs)


def call(client, user, method, params=None, **kwargs):
    return rpc(client, method, params, token=token_for(user), **kwargs)


def send(client, user, action, arguments, **configuration):
    params = action_message(action, arguments)
    if configuration:
        params["configuration"] = configuration
    return call(client, user, "SendMessage", params)


def test_send_message_runs_the_action_as_the_verified_user(client, world):
    response = send(client, world.alice, "create-memo", {"title": "via a2a"})
    assert response.status_code == 200, response.content
    task = response.json()["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    [artifact] = task["artifacts"]
    result = artifact["parts"][0]["data"]
    assert (result["title"], result["owner_email"]) == ("via a2a", world.alice.email)
    with unscoped(reason="test"):
        assert Memo.objects.get(title="via a2a").org_id == world.acme.pk
    event = AuditEvent.objects.filter(action="memo.created").latest("id")
    assert (event.caller, event.actor) == ("a2a", world.alice)


def test_reads_see_only_the_callers_rows(client, world):
    task = send(client, world.carol, "list-memos", {}).json()["result"]["task"]
    titles = [n["title"] for n in task["artifacts"][0]["parts"][0]["data"]]
    assert titles == ["carol's memo"]


def test_an_org_id_claim_of_the_users_org_is_honoured(client, world):
    from orgs import services

    side = services.org_create(user=world.alice, name="Side")
    token = token_for(world.alice, org_id=side.pk)
    rpc(
        client,
        "SendMessage",
        action_message("create-memo", {"title": "in side"}),
        token=token,
    )
    with unscoped(reason="test"):
        assert Memo.objects.get(title="in side").org_id == side.pk


def test_text_parts_are_unsupported_content(client, world):
    params = {
        "message": {
            "messageId": "m1",
            "role": "ROLE_USER",
            "parts": [{"text": "please make a memo"}],
        }
    }
    task = call(client, world.alice, "SendMessage", params).json()["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_FAILED"
    assert "Unsupported content" in task["status"]["message"]["parts"][0]["text"]


def test_invalid_arguments_are_32602_with_the_field_errors(client, world):
    """In `data` as a2a-sdk's reference server writes it: an ErrorInfo whose metadata
    lists the errors (what the SDK's client raises as the error's data), then a
    BadRequest with the same field violations."""
    body = send(client, world.alice, "create-memo", {"title": ""}).json()
    assert body["error"]["code"] == -32602
    field = "message.parts[0].data.arguments.title"
    assert body["error"]["data"] == [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "INVALID_PARAMS",
            "domain": "a2a-protocol.org",
            "metadata": {
                "errors": [{"field": field, "message": "This field may not be blank."}]
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [
                {"field": field, "description": "This field may not be blank."}
            ],
        },
    ]
    with unscoped(reason="test"):
        assert not A2ATask.objects.exists()


def test_a_field_error_of_the_run_reaches_the_caller_in_the_failed_task(client, world):
    """A service's InvalidInput (an unknown folder) fails the task; its status
    message carries the API's error envelope, fields and all."""
    task = send(client, world.alice, "create-memo", {"title": "t", "folder": 999999})
    task = task.json()["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_FAILED"
    text, data = task["status"]["message"]["parts"]
    assert text["text"] == "The input is not valid."
    assert data["data"]["error"]["code"] == "invalid_input"
    assert data["data"]["error"]["fields"] == {"folder": ["No such folder."]}


def test_an_action_the_role_may_not_run_is_32602(client, world):
    body = send(client, world.carol, "rename-org", {"name": "X"}).json()
    assert body["error"]["code"] == -32602  # carol is a member, not an admin


def test_return_immediately_queues_the_task(
    client, world, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = send(
            client,
            world.alice,
            "create-memo",
            {"title": "later"},
            returnImmediately=True,
        )
    task = response.json()["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_SUBMITTED"
    for callback in queued:
        callback()
    done = call(client, world.alice, "GetTask", {"id": task["id"]}).json()["result"]
    assert done["status"]["state"] == "TASK_STATE_COMPLETED"


def test_two_users_tasks_never_cross(client, world):
    alices = send(client, world.alice, "list-memos", {}).json()["result"]["task"]
    send(client, world.bob, "list-memos", {})
    stolen = call(client, world.bob, "GetTask", {"id": alices["id"]}).json()
    assert stolen["error"]["code"] == -32001  # TaskNotFound, not "forbidden"
    cancel = call(client, world.bob, "CancelTask", {"id": alices["id"]}).json()
    assert cancel["error"]["code"] == -32001
    bobs = call(client, world.bob, "ListTasks", {}).json()["result"]
    assert [t["id"] for t in bobs["tasks"]] != [alices["id"]]
    assert len(bobs["tasks"]) == 1


def test_list_tasks_is_newest_first_and_always_has_a_next_page_token(client, world):
    ids = [
        send(client, world.alice, "list-memos", {}).json()["result"]["task"]["id"]
        for _ in range(3)
    ]
    first = call(client, world.alice, "ListTasks", {"pageSize": 2}).json()["result"]
    assert [t["id"] for t in first["tasks"]] == ids[::-1][:2]
    assert first["nextPageToken"]
    assert first["totalSize"] == 3
    rest = call(
        client,
        world.alice,
        "ListTasks",
        {"pageSize": 2, "pageToken": first["nextPageToken"]},
    ).json()["result"]
    assert [t["id"] for t in rest["tasks"]] == [ids[0]]
    assert rest["nextPageToken"] == ""


def test_cancel(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        queued = send(client, world.alice, "list-memos", {}, returnImmediately=True)
    task_id = queued.json()["result"]["task"]["id"]
    canceled = call(client, world.alice, "CancelTask", {"id": task_id}).json()
    assert canceled["result"]["status"]["state"] == "TASK_STATE_CANCELED"
    again = call(client, world.alice, "CancelTask", {"id": task_id}).json()
    assert again["error"]["code"] == -32002


@pytest.mark.parametrize(
    ("method", "code"),
    [
        ("NoSuchMethod", -32601),
        ("SendStreamingMessage", -32004),
        ("SubscribeToTask", -32004),
        ("CreateTaskPushNotificationConfig", -32003),
        ("GetTask", -32001),
    ],
)
def test_unsupported_methods_and_capabilities(client, world, method, code):
    body = call(client, world.alice, method, {"id": str(uuid.uuid4())}).json()
    assert body["error"]["code"] == code
    assert body["id"] == "1"


def test_an_unsupported_version_is_32009(client, world):
    body = call(
        client, world.alice, "ListTasks", {}, headers={"A2A-Version": "2.0"}
    ).json()
    assert body["error"]["code"] == -32009


def _raw(client, user, body: str):
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    return client.post("/a2a/", body, content_type="application/json", headers=headers)


def test_malformed_json_is_32700(client, world):
    response = _raw(client, world.alice, "{nope")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700


def test_an_invalid_request_is_32600(client, world):
    response = _raw(client, world.alice, '{"method": 3}')
    assert response.json()["error"]["code"] == -32600


def test_the_agent_card(client, world):
    response = client.get("/.well-known/agent-card.json")
    card = response.json()
    assert card["supportedInterfaces"] == [
        {"url": AUD, "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
    ]
    assert card["capabilities"] == {"streaming": False, "pushNotifications": False}
    skills = {skill["id"] for skill in card["skills"]}
    assert "create-memo" in skills
    assert "delete-org" not in skills  # agent_tool=False
    assert (
        card["securitySchemes"]["a2aJwt"]["httpAuthSecurityScheme"]["scheme"]
        == "Bearer"
    )
    assert card["securityRequirements"] == [{"schemes": {"a2aJwt": {"list": []}}}]
    assert response["Cache-Control"] == "public, max-age=300"
    again = client.get(
        "/.well-known/agent-card.json", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


def test_the_actions_api_takes_the_a2a_jwt(client, world):
    response = client.get(
        "/api/actions/list-memos/",
        headers={"Authorization": f"Bearer {token_for(world.carol)}"},
    )
    assert response.status_code == 200
    assert [n["title"] for n in response.json()] == ["carol's memo"]
    client.post(
        "/api/actions/create-memo/",
        {"title": "by an agent"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(world.carol)}"},
    )
    event = AuditEvent.objects.filter(action="memo.created").latest("id")
    assert (event.caller, event.actor) == ("a2a", world.carol)
    forged = client.get(
        "/api/actions/list-memos/", headers={"Authorization": "Bearer a.b.c"}
    )
    assert forged.status_code == 401


def test_a_user_never_created_from_a_token(client, world):
    from accounts.models import User

    before = User.objects.count()
    token = sign(sub="stranger@nowhere.test", aud=AUD)
    assert rpc(client, "ListTasks", {}, token=token).status_code == 401
    assert User.objects.count() == before
