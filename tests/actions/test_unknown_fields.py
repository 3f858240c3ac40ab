"""Input fields an action does not have are refused (400 naming each), as its
published schema says (`additionalProperties: false`), whichever way it is called."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.services import api_token_create
from actions import registry, runner
from actions.registry import Action
from config.errors import InvalidInput
from tests.actions.every_action import _users, framework_state
from tests.actions.test_every_action import CASES

pytestmark = pytest.mark.django_db

UNKNOWN = ["Unknown field."]


def _client(user) -> tuple[Client, dict]:
    _, secret = api_token_create(user=user, name="unknown-fields")
    return Client(), {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_action_refuses_an_unknown_field_in_a_json_body(world, erin, dave, case):
    case.setup(world)
    client, headers = _client(_users(world, erin, dave)[case.caller])
    data = {**case.valid(world), "bogus": 1, "also_bogus": None}
    before = framework_state()
    response = client.post(
        f"/api/actions/{case.name}/",
        json.dumps(data),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"] == {"bogus": UNKNOWN, "also_bogus": UNKNOWN}
    assert framework_state() == before


@pytest.mark.parametrize(
    "case", [c for c in CASES if registry.get(c.name).read_only], ids=lambda c: c.name
)
def test_every_read_refuses_an_unknown_query_parameter(world, erin, dave, case):
    case.setup(world)
    client, headers = _client(_users(world, erin, dave)[case.caller])
    response = client.get(
        f"/api/actions/{case.name}/",
        {**case.valid(world), "bogus": "1", "listed[]": ["a", "b"]},
        headers=headers,
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {"bogus": UNKNOWN, "listed": UNKNOWN}


def test_list_brackets_name_the_field_not_an_unknown_one(world):
    client, headers = _client(world.alice)
    response = client.get(
        "/api/actions/db-query/",
        {
            "sql": "SELECT title FROM testapp_memo WHERE id = ?",
            "params[]": [str(world.alice_memo.pk)],
        },
        headers=headers,
    )
    assert response.status_code == 200, response.content


def test_unknown_and_invalid_fields_are_named_together(world):
    client, headers = _client(world.alice)
    response = client.post(
        "/api/actions/create-memo/",
        json.dumps({"title": "", "colour": "red"}),
        content_type="application/json",
        headers=headers,
    )
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"title", "colour"}
    assert fields["colour"] == UNKNOWN


def test_the_cli_refuses_an_unknown_field(world):
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "action",
            "create-memo",
            "--as",
            world.alice.email,
            "--field",
            "title",
            "T",
            "--field",
            "tag",
            "x",
            stdout=out,
            stderr=err,
        )
    error = json.loads(err.getvalue())["error"]
    assert (error["code"], error["fields"]) == ("invalid_input", {"tag": UNKNOWN})


class _Inner(registry.NoInput):
    from rest_framework import serializers

    name = serializers.CharField()


class _Outer(registry.NoInput):
    inner = _Inner()


class _Nested(Action):
    name = "nested-echo"
    description = "Says the nested name back."
    input = _Outer
    read_only = True
    requires_auth = False

    def run(self, ctx, data):
        return data


def test_the_runner_refuses_unknown_fields_of_nested_objects_too(db):
    with pytest.raises(InvalidInput) as refused:
        runner.call(
            _Nested(), {"inner": {"name": "a", "extra": 1}}, user=None, caller="task"
        )
    assert refused.value.fields == {"inner": ["extra: Unknown field."]}
    assert runner.call(
        _Nested(), {"inner": {"name": "a"}}, user=None, caller="task"
    ) == {"inner": {"name": "a"}}
