"""Interoperability on a live server: the official a2a-sdk client, and ours."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from a2a.client import A2AClient, A2AError, result_of
from scoping.scopes import unscoped
from tests.a2a.conftest import SECRET
from tests.testapp.models import Memo

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SDK_CLIENT = Path(__file__).with_name("sdk_client.py")


@pytest.fixture
def server(live_server, settings):
    settings.APP_URL = live_server.url
    return live_server.url


def sdk_client(server: str, user, tmp_path, scenario: str = "run") -> dict:
    """What the official SDK's client got (see sdk_client.py)."""
    # `-I` from another folder: the SDK's `a2a` package, not this project's.
    result = subprocess.run(
        [sys.executable, "-I", str(SDK_CLIENT), server, user.email, scenario],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"A2A_SECRET": SECRET, "PATH": os.environ.get("PATH", "")},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_official_sdk_resolves_the_card_and_runs_an_action(server, world, tmp_path):
    got = sdk_client(server, world.alice, tmp_path)
    task = got["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    memo = task["artifacts"][0]["parts"][0]["data"]
    assert (memo["title"], memo["owner_email"]) == (
        "from the a2a-sdk",
        world.alice.email,
    )
    with unscoped(reason="test"):
        assert Memo.objects.filter(title="from the a2a-sdk").count() == 1


def test_the_official_sdk_reads_field_errors_history_and_artifacts(
    server, world, tmp_path
):
    got = sdk_client(server, world.alice, tmp_path, "errors")
    # A field error of the arguments: the SDK raises InvalidParamsError whose data
    # (the ErrorInfo's metadata) names the field.
    assert got["invalid"]["raised"] == "InvalidParamsError"
    assert got["invalid"]["data"]["errors"] == [
        {
            "field": "message.parts[0].data.arguments.title",
            "message": "This field may not be blank.",
        }
    ]
    # A field error of the run: a failed task whose status message carries it.
    failed = got["failed"]["task"]
    assert failed["status"]["state"] == "TASK_STATE_FAILED"
    error = failed["status"]["message"]["parts"][1]["data"]["error"]
    assert error["fields"] == {"folder": ["No such folder."]}
    # historyLength and includeArtifacts as the protocol has them.
    assert "history" not in got["no_history"]
    assert "artifacts" in got["no_history"]
    assert all(len(task["history"]) == 1 for task in got["listed"]["tasks"])
    assert not any("artifacts" in task for task in got["listed"]["tasks"])
    assert any("artifacts" in task for task in got["with_artifacts"]["tasks"])


def test_our_client_calls_a_live_server(server, world):
    client = A2AClient(f"{server}/a2a/", as_user=world.bob.email)
    task = client.send_message("list-memos", {})
    assert [n["title"] for n in result_of(task)] == ["bob's memo"]
    assert client.get_task(task["id"])["id"] == task["id"]
    assert [t["id"] for t in client.list_tasks()["tasks"]] == [task["id"]]


def test_our_client_reads_the_field_violations(server, world):
    client = A2AClient(f"{server}/a2a/", as_user=world.bob.email)
    with pytest.raises(A2AError) as raised:
        client.send_message("create-memo", {"title": ""})
    assert raised.value.code == -32602
    assert raised.value.fields == {
        "message.parts[0].data.arguments.title": ["This field may not be blank."]
    }
