"""Bodies nested too deeply are 400 `invalid_input`, not a RecursionError."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from config.jsonbody import MAX_DEPTH
from scoping.scopes import unscoped
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db

DEEP = {
    "100 000 [": "[" * 100_000,
    '100 000 {"a":': '{"a":' * 100_000,
    "a title nested 100 000 deep": '{"title": ' + "[" * 100_000,
    "one level past the limit": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
}


@pytest.mark.parametrize("body", DEEP, ids=list(DEEP))
@pytest.mark.parametrize("name", ["create-memo", "db-query"])
def test_deep_nesting_is_400_invalid_input(world, name, body):
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    response = client.post(
        f"/api/actions/{name}/", DEEP[body], content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert "deeper than" in error["message"] or "not valid JSON" in error["message"]
    with unscoped(reason="test"):
        assert Memo.objects.count() == 3  # the world's, nothing more


def test_nesting_within_the_limit_reaches_validation(world):
    client = Client()
    client.force_login(world.alice)
    nested = "[" * (MAX_DEPTH - 2) + "1" + "]" * (MAX_DEPTH - 2)
    response = client.post(
        "/api/actions/db-query/",
        '{"sql": "SELECT ?", "params": [' + nested + "]}",
        content_type="application/json",
    )
    assert response.status_code == 400  # a parameter must be a scalar…
    assert "deeper than" not in response.json()["error"]["message"]  # …it was read


@pytest.mark.parametrize(
    "body",
    [
        '{"title": NaN}',
        '{"title": "x", "folder": 1e400}',
        '{"title": "x", "folder": 1' + "0" * 5000 + "}",
        b'{"title": "\xff"}',
    ],
    ids=["NaN", "infinite", "5000 digits", "not UTF-8"],
)
def test_json_python_reads_but_no_answer_can_carry_is_400(world, body):
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    response = client.post(
        "/api/actions/create-memo/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_the_cli_refuses_deep_json_as_invalid_input(world):
    err = StringIO()
    deep = "[" * 100_000
    with pytest.raises(SystemExit):
        call_command(
            "action",
            "create-memo",
            "--as",
            world.alice.email,
            "--json",
            deep,
            stdout=StringIO(),
            stderr=err,
        )
    error = json.loads(err.getvalue())["error"]
    assert error["code"] == "invalid_input"
    assert "deeper than" in error["message"]
