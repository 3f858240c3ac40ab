"""Interoperability on a live server: the official a2a-sdk client, and ours."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from a2a.client import A2AClient, result_of
from notes.models import Note
from scoping.scopes import unscoped
from tests.a2a.conftest import SECRET

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SDK_CLIENT = Path(__file__).with_name("sdk_client.py")


@pytest.fixture
def server(live_server, settings):
    settings.APP_URL = live_server.url
    return live_server.url


def test_the_official_sdk_resolves_the_card_and_runs_an_action(server, world, tmp_path):
    # `-I` from another folder: the SDK's `a2a` package, not this project's.
    result = subprocess.run(
        [sys.executable, "-I", str(SDK_CLIENT), server, world.alice.email],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={"A2A_SECRET": SECRET, "PATH": os.environ.get("PATH", "")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    task = got["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    note = task["artifacts"][0]["parts"][0]["data"]
    assert (note["title"], note["owner_email"]) == (
        "from the a2a-sdk",
        world.alice.email,
    )
    with unscoped(reason="test"):
        assert Note.objects.filter(title="from the a2a-sdk").count() == 1


def test_our_client_calls_a_live_server(server, world):
    client = A2AClient(f"{server}/a2a/", as_user=world.bob.email)
    task = client.send_message("list-notes", {})
    assert [n["title"] for n in result_of(task)] == ["bob's note"]
    assert client.get_task(task["id"])["id"] == task["id"]
    assert [t["id"] for t in client.list_tasks()["tasks"]] == [task["id"]]
