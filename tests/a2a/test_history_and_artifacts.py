"""`historyLength` (0: no history, n: the last n messages, not set: all) on GetTask,
ListTasks and SendMessage; `includeArtifacts` on ListTasks (not set: none); ListTasks'
filters."""

import pytest

from tests.a2a.test_protocol import call, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(client, world):
    response = send(client, world.alice, "create-memo", {"title": "with history"})
    return response.json()["result"]["task"]


def get(client, world, **params):
    return call(client, world.alice, "GetTask", params).json()["result"]


def listed(client, world, **params):
    [only] = call(client, world.alice, "ListTasks", params).json()["result"]["tasks"]
    return only


def test_get_task_honours_history_length(client, world, task):
    assert len(get(client, world, id=task["id"])["history"]) == 1
    assert "history" not in get(client, world, id=task["id"], historyLength=0)
    assert len(get(client, world, id=task["id"], historyLength=1)["history"]) == 1
    assert len(get(client, world, id=task["id"], historyLength=50)["history"]) == 1
    [message] = get(client, world, id=task["id"], historyLength=1)["history"]
    assert message["parts"][0]["data"]["arguments"] == {"title": "with history"}


def test_list_tasks_honours_history_length(client, world, task):
    assert len(listed(client, world)["history"]) == 1
    assert "history" not in listed(client, world, historyLength=0)
    assert len(listed(client, world, historyLength=3)["history"]) == 1


def test_list_tasks_leaves_artifacts_out_unless_asked(client, world, task):
    assert "artifacts" not in listed(client, world)
    assert "artifacts" not in listed(client, world, includeArtifacts=False)
    [artifact] = listed(client, world, includeArtifacts=True)["artifacts"]
    assert artifact["parts"][0]["data"]["title"] == "with history"


def test_get_task_keeps_its_artifacts(client, world, task):
    assert get(client, world, id=task["id"])["artifacts"]


def test_send_message_honours_the_configured_history_length(client, world):
    none = send(client, world.alice, "list-memos", {}, historyLength=0)
    assert "history" not in none.json()["result"]["task"]
    some = send(client, world.alice, "list-memos", {}, historyLength=2)
    assert len(some.json()["result"]["task"]["history"]) == 1


def test_list_tasks_filters_by_status_and_update_time(client, world, task):
    def ids(**params):
        result = call(client, world.alice, "ListTasks", params).json()["result"]
        return [listed["id"] for listed in result["tasks"]]

    assert ids(status="TASK_STATE_COMPLETED") == [task["id"]]
    assert ids(status="TASK_STATE_FAILED") == []
    assert ids(status="TASK_STATE_UNSPECIFIED") == [task["id"]]  # no filter
    assert ids(statusTimestampAfter="2000-01-01T00:00:00Z") == [task["id"]]
    assert ids(statusTimestampAfter="2999-01-01T00:00:00+01:00") == []
