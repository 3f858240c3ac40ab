"""Params of the wrong type or shape are JSON-RPC -32602 naming the field, before
anything runs or is stored; a body nested too deep is a parse error, never a 500."""

import uuid

import pytest

from a2a.models import A2ATask
from scoping.scopes import unscoped
from tests.a2a.conftest import action_message, rpc
from tests.a2a.test_protocol import call, send, token_for
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db

BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"


def memo_message(**message_fields) -> dict:
    params = action_message("create-memo", {"title": "must not be made"})
    params["message"].update(message_fields)
    return params


def with_configuration(configuration) -> dict:
    return {**memo_message(), "configuration": configuration}


def with_parts(parts) -> dict:
    return memo_message(parts=parts)


SEND_MESSAGE = {
    "configuration a list": (with_configuration([]), "configuration"),
    "configuration a string": (with_configuration("fast"), "configuration"),
    "configuration a number": (with_configuration(5), "configuration"),
    "historyLength a string": (
        with_configuration({"historyLength": "3"}),
        "configuration.historyLength",
    ),
    "returnImmediately a string": (
        with_configuration({"returnImmediately": "yes"}),
        "configuration.returnImmediately",
    ),
    "acceptedOutputModes not strings": (
        with_configuration({"acceptedOutputModes": [5]}),
        "configuration.acceptedOutputModes",
    ),
    "contextId a number": (memo_message(contextId=5), "message.contextId"),
    "contextId an object": (memo_message(contextId={"a": 1}), "message.contextId"),
    "contextId a list": (memo_message(contextId=["c"]), "message.contextId"),
    "contextId a boolean": (memo_message(contextId=True), "message.contextId"),
    "contextId too long": (memo_message(contextId="c" * 101), "message.contextId"),
    "contextId with NUL": (memo_message(contextId="a\x00b"), "message.contextId"),
    "taskId a number": (memo_message(taskId=7), "message.taskId"),
    "taskId a list": (memo_message(taskId=[]), "message.taskId"),
    "messageId missing": (memo_message(messageId=None), "message.messageId"),
    "messageId a number": (memo_message(messageId=1), "message.messageId"),
    "role missing": (memo_message(role=None), "message.role"),
    "role unknown": (memo_message(role="ROLE_ADMIN"), "message.role"),
    "message a string": ({"message": "make a memo"}, "message"),
    "message missing": ({}, "message"),
    "message metadata a list": (memo_message(metadata=[1]), "message.metadata"),
    "parts an object": (with_parts({"text": "hi"}), "message.parts"),
    "parts empty": (with_parts([]), "message.parts"),
    "parts null": (with_parts(None), "message.parts"),
    "a part a string": (with_parts(["hi"]), "message.parts[0]"),
    "a part with no content": (with_parts([{}]), "message.parts[0]"),
    "a part with two contents": (
        with_parts([{"text": "hi", "url": "https://x.test/"}]),
        "message.parts[0]",
    ),
    "a text part not text": (with_parts([{"text": 5}]), "message.parts[0].text"),
    "a url part not a string": (with_parts([{"url": []}]), "message.parts[0].url"),
    "a part's mediaType a number": (
        with_parts([{"text": "hi", "mediaType": 1}]),
        "message.parts[0].mediaType",
    ),
    "an action name not a string": (
        with_parts([{"data": {"action": 5, "arguments": {}}}]),
        "message.parts[0].data.action",
    ),
    "arguments not an object": (
        with_parts([{"data": {"action": "create-memo", "arguments": ["x"]}}]),
        "message.parts[0].data.arguments",
    ),
    "NUL in an argument": (
        with_parts([{"data": {"action": "create-memo", "arguments": {"t\x00": 1}}}]),
        "message.parts[0].data.arguments",
    ),
    "metadata a string": ({**memo_message(), "metadata": "m"}, "metadata"),
}


def violations(body) -> dict:
    [bad_request] = [d for d in body["error"]["data"] if d["@type"] == BAD_REQUEST]
    return {v["field"]: v["description"] for v in bad_request["fieldViolations"]}


def assert_nothing_stored():
    with unscoped(reason="test"):
        assert not A2ATask.objects.exists()
        assert not Memo.objects.filter(title="must not be made").exists()


@pytest.mark.parametrize("case", SEND_MESSAGE, ids=str)
def test_send_message_refuses_params_of_the_wrong_shape(client, world, case):
    params, field = SEND_MESSAGE[case]
    response = call(client, world.alice, "SendMessage", params)
    body = response.json()
    assert response.status_code == 200
    assert body["error"]["code"] == -32602, body
    assert any(name.startswith(field) for name in violations(body)), body
    assert_nothing_stored()


def test_a_numeric_context_id_is_never_stored(client, world):
    params = memo_message(contextId=12345)
    params["message"]["parts"] = [
        {"data": {"action": "create-memo", "arguments": {"title": "numeric"}}}
    ]
    body = call(client, world.alice, "SendMessage", params).json()
    assert body["error"]["code"] == -32602
    assert "message.contextId" in violations(body)
    with unscoped(reason="test"):
        assert not A2ATask.objects.exists()
        assert not Memo.objects.filter(title="numeric").exists()


def test_a_string_context_id_is_kept(client, world):
    params = memo_message(contextId="conversation-1")
    task = call(client, world.alice, "SendMessage", params).json()["result"]["task"]
    assert task["contextId"] == "conversation-1"
    with unscoped(reason="test"):
        assert A2ATask.objects.get().context_id == "conversation-1"


def test_every_wrong_field_is_named_at_once(client, world):
    params = {
        **memo_message(contextId=1, taskId=2),
        "configuration": {"historyLength": -1},
    }
    body = call(client, world.alice, "SendMessage", params).json()
    assert {
        "message.contextId",
        "message.taskId",
        "configuration.historyLength",
    } <= set(violations(body))


def _valid_token(client, world) -> str:
    for _ in range(3):
        send(client, world.alice, "list-memos", {})
    first = call(client, world.alice, "ListTasks", {"pageSize": 1}).json()["result"]
    return first["nextPageToken"]


def _b64(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode()


LIST_TASKS = {
    "pageSize a string": ({"pageSize": "10"}, "pageSize"),
    "pageSize a float": ({"pageSize": 2.5}, "pageSize"),
    "pageSize a boolean": ({"pageSize": True}, "pageSize"),
    "pageSize zero": ({"pageSize": 0}, "pageSize"),
    "pageSize over 100": ({"pageSize": 101}, "pageSize"),
    "pageSize negative": ({"pageSize": -3}, "pageSize"),
    "pageToken a number": ({"pageToken": 5}, "pageToken"),
    "pageToken not base64": ({"pageToken": "%%%"}, "pageToken"),
    "pageToken not a number": ({"pageToken": _b64("ten")}, "pageToken"),
    "pageToken negative": ({"pageToken": _b64("-5")}, "pageToken"),
    "pageToken out of range": ({"pageToken": _b64("9" * 30)}, "pageToken"),
    "pageToken past any int": ({"pageToken": _b64("9" * 5000)}, "pageToken"),
    "historyLength a string": ({"historyLength": "2"}, "historyLength"),
    "historyLength negative": ({"historyLength": -1}, "historyLength"),
    "historyLength a float": ({"historyLength": 1.5}, "historyLength"),
    "historyLength a boolean": ({"historyLength": False}, "historyLength"),
    "historyLength past int32": ({"historyLength": 2**31}, "historyLength"),
    "includeArtifacts a string": ({"includeArtifacts": "true"}, "includeArtifacts"),
    "includeArtifacts a number": ({"includeArtifacts": 1}, "includeArtifacts"),
    "contextId a number": ({"contextId": 5}, "contextId"),
    "contextId with NUL": ({"contextId": "\x00"}, "contextId"),
    "status unknown": ({"status": "TASK_STATE_RUNNING"}, "status"),
    "status a number": ({"status": 3}, "status"),
    "statusTimestampAfter not a time": (
        {"statusTimestampAfter": "yesterday"},
        "statusTimestampAfter",
    ),
    "statusTimestampAfter a number": (
        {"statusTimestampAfter": 1700000000},
        "statusTimestampAfter",
    ),
}


@pytest.mark.parametrize("case", LIST_TASKS, ids=str)
def test_list_tasks_refuses_params_of_the_wrong_type(client, world, case):
    params, field = LIST_TASKS[case]
    body = call(client, world.alice, "ListTasks", params).json()
    assert body["error"]["code"] == -32602, body
    assert field in violations(body)


def test_a_page_token_the_server_gave_still_works(client, world):
    token = _valid_token(client, world)
    page = call(client, world.alice, "ListTasks", {"pageSize": 1, "pageToken": token})
    assert len(page.json()["result"]["tasks"]) == 1


TASK_ID = {
    "id a number": ({"id": 5}, "id"),
    "id an object": ({"id": {"id": "x"}}, "id"),
    "id missing": ({}, "id"),
    "id empty": ({"id": ""}, "id"),
}


@pytest.mark.parametrize("method", ["GetTask", "CancelTask"])
@pytest.mark.parametrize("case", TASK_ID, ids=str)
def test_task_ids_must_be_strings(client, world, method, case):
    params, field = TASK_ID[case]
    body = call(client, world.alice, method, params).json()
    assert body["error"]["code"] == -32602, body
    assert field in violations(body)


@pytest.mark.parametrize("history_length", ["1", -1, 0.5, True, None])
def test_get_task_refuses_a_wrong_typed_history_length(client, world, history_length):
    task = send(client, world.alice, "list-memos", {}).json()["result"]["task"]
    params = {"id": task["id"], "historyLength": history_length}
    body = call(client, world.alice, "GetTask", params).json()
    if history_length is None:  # null: not set
        assert body["result"]["id"] == task["id"]
    else:
        assert body["error"]["code"] == -32602
        assert "historyLength" in violations(body)


def test_an_unknown_task_id_string_is_still_task_not_found(client, world):
    body = call(client, world.alice, "GetTask", {"id": "not-a-uuid"}).json()
    assert body["error"]["code"] == -32001
    body = call(client, world.alice, "GetTask", {"id": str(uuid.uuid4())}).json()
    assert body["error"]["code"] == -32001


def _raw(client, user, body):
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    return client.post("/a2a/", body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        "{" + '"a":{' * 50_000,
        '{"jsonrpc": "2.0", "id": 1, "method": "ListTasks", "params": '
        + "[" * 100_000
        + "]" * 100_000
        + "}",
        '{"jsonrpc": "2.0", "id": 1, "method": "ListTasks", "params": NaN}',
    ],
    ids=["open arrays", "open objects", "closed arrays", "NaN"],
)
def test_a_body_too_deep_or_not_json_is_a_parse_error(client, world, body):
    response = _raw(client, world.alice, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700
    assert response.json()["id"] is None


def test_params_that_are_not_an_object_are_32602(client, world):
    body = call(client, world.alice, "ListTasks", ["page", 2]).json()
    assert body["error"]["code"] == -32602


@pytest.mark.parametrize("request_id", [True, 1.5, {"a": 1}, ["x"]])
def test_an_id_json_rpc_does_not_allow_is_an_invalid_request(client, world, request_id):
    response = rpc(
        client, "ListTasks", {}, token=token_for(world.alice), request_id=request_id
    )
    assert response.json()["error"]["code"] == -32600
    assert response.json()["id"] is None
