"""Action schemas: valid JSON Schema, faithful to the serializers, and in OpenAPI."""

import jsonschema
import pytest
from django.test import Client
from rest_framework import serializers

from actions import registry
from actions.schema import serializer_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    client = Client()
    client.force_login(world.alice)
    return {a["name"]: a for a in client.get("/api/actions/").json()["actions"]}


def test_every_listed_schema_is_valid_json_schema(listed):
    assert len(listed) == len(registry.all_actions())
    for description in listed.values():
        jsonschema.Draft202012Validator.check_schema(description["input_schema"])
        assert description["method"] in ("GET", "POST")
        assert description["description"]


def test_schemas_match_the_serializers(listed):
    for name, description in listed.items():
        schema = description["input_schema"]
        fields = {
            field_name: field
            for field_name, field in registry.get(name).input().fields.items()
            if not field.read_only
        }
        assert set(schema["properties"]) == set(fields), name
        required = {n for n, f in fields.items() if f.required}
        assert set(schema.get("required", [])) == required, name


def test_schema_details_come_from_the_fields(listed):
    create = listed["create-memo"]["input_schema"]
    assert create["required"] == ["title"]
    assert create["properties"]["title"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "description": "A short title.",
    }
    assert create["additionalProperties"] is False
    invite = listed["invite-member"]["input_schema"]["properties"]
    assert invite["role"]["enum"] == ["member", "admin"]
    assert invite["email"]["format"] == "email"
    limit = listed["list-memos"]["input_schema"]["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 200, 50)


class Sample(serializers.Serializer):
    name = serializers.CharField(min_length=2, max_length=5)
    count = serializers.IntegerField(min_value=0, max_value=9)
    tags = serializers.ListField(child=serializers.CharField(), max_length=3)
    kind = serializers.ChoiceField(choices=["a", "b"], required=False)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "ok", "count": 3, "tags": ["x"]},
        {"name": "x", "count": 3, "tags": []},
        {"name": "okay", "count": 10, "tags": []},
        {"name": "okay", "count": 1, "tags": ["a", "b", "c", "d"]},
        {"name": "okay", "count": 1, "tags": [], "kind": "c"},
        {"count": 1, "tags": []},
    ],
)
def test_the_schema_accepts_exactly_what_the_serializer_accepts(data):
    schema_says = jsonschema.Draft202012Validator(serializer_schema(Sample)).is_valid(
        data
    )
    assert schema_says == Sample(data=data).is_valid()


def test_openapi_covers_every_action(world):
    client = Client()
    client.force_login(world.alice)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = response.json()
    operations = {
        operation["operationId"]: (path, method)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    for action in registry.all_actions():
        assert operations[action.name] == (
            f"/api/actions/{action.name}/",
            action.method.lower(),
        )
    create = document["paths"]["/api/actions/create-memo/"]["post"]
    assert "requestBody" in create


def test_openapi_needs_a_signed_in_caller(client):
    response = client.get("/api/schema/")
    assert response.status_code == 401
