"""`/api/schema/` tells the truth: what each operation takes, answers and refuses,
and with which credentials; generated without a warning."""

import json

import jsonschema
import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from rest_framework import serializers

from a2a import tokens as a2a_tokens
from accounts.services import api_token_create
from actions import registry
from actions.fields import MAX_ID
from actions.openapi import _query_parameter
from actions.schema import field_schema, output_schema, serializer_schema
from tests.config.test_deploy_checks import CHECK_DEPLOY
from tests.config.test_production_settings import GOOD
from tests.processes import clean_env, run_python

pytestmark = pytest.mark.django_db

ERROR_STATUSES = {"400", "401", "403", "404", "405", "406", "409", "415", "429", "503"}
ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture
def document(world):
    client = Client()
    client.force_login(world.alice)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def alice(world):
    client = Client()
    client.force_login(world.alice)
    return client


def _operations(document):
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _validator(document, schema):
    """A JSON Schema validator for `schema`, with the document's components."""
    return jsonschema.Draft202012Validator(
        {**schema, "components": document["components"]}
    )


def _answer_schema(document, path, method, status="200"):
    content = document["paths"][path][method]["responses"][status]["content"]
    return content["application/json"]["schema"]


# --- Lists --------------------------------------------------------------------------


def test_list_outputs_are_documented_as_arrays(document, alice):
    """Every read that needs no input is called: if it answers a list, the document
    (both methods) and the tool definition say array, else an object."""
    tools = {a["name"]: a for a in alice.get("/api/actions/").json()["actions"]}
    lists = set()
    for action in registry.all_actions():
        if not action.read_only or serializer_schema(action.input).get("required"):
            continue
        answer = alice.get(f"/api/actions/{action.name}/")
        assert answer.status_code == 200, (action.name, answer.content)
        is_list = isinstance(answer.json(), list)
        if is_list:
            lists.add(action.name)
        path = f"/api/actions/{action.name}/"
        for method in ("get", "post"):
            schema = _answer_schema(document, path, method)
            assert schema.get("type") == ("array" if is_list else None), action.name
            assert _validator(document, schema).is_valid(answer.json()), action.name
        assert tools[action.name]["output_schema"]["type"] == (
            "array" if is_list else "object"
        )
    assert lists >= {"list-memos", "list-folders", "list-orgs", "list-members"}


def test_answers_match_their_documented_schema(document, alice, world):
    memo = alice.get("/api/actions/get-memo/", {"id": world.alice_memo.pk}).json()
    schema = _answer_schema(document, "/api/actions/get-memo/", "get")
    _validator(document, schema).validate(memo)
    me = alice.get("/api/me/").json()
    _validator(document, _answer_schema(document, "/api/me/", "get")).validate(me)
    listed = alice.get("/api/actions/").json()
    schema = _answer_schema(document, "/api/actions/", "get")
    _validator(document, schema).validate(listed)


def test_writes_answer_200_as_documented_not_201(document):
    for path, method, operation in _operations(document):
        assert "201" not in operation["responses"], (path, method)
        assert "200" in operation["responses"], (path, method)


# --- Errors -------------------------------------------------------------------------


def test_every_operation_documents_every_error_status_with_the_one_envelope(document):
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        assert set(responses) >= ERROR_STATUSES, (path, method)
        for status in ERROR_STATUSES:
            assert responses[status]["content"] == {
                "application/json": {"schema": ERROR_REF}
            }, (path, method, status)
    envelopes = [
        name
        for name, schema in document["components"]["schemas"].items()
        if "error" in schema.get("properties", {})
    ]
    assert envelopes == ["Error"]


def test_real_errors_fit_the_documented_envelope(document, alice, world):
    validator = _validator(document, ERROR_REF)
    answers = {
        400: alice.post(
            "/api/actions/create-memo/", {}, content_type="application/json"
        ),
        401: Client().get("/api/actions/list-memos/"),
        404: alice.get("/api/actions/get-memo/", {"id": 10**9}),
        405: alice.get("/api/actions/create-memo/"),
        406: alice.get("/api/actions/list-memos/", headers={"Accept": "text/csv"}),
        415: alice.post(
            "/api/actions/create-memo/", "title=x", content_type="text/plain"
        ),
    }
    for status, answer in answers.items():
        assert answer.status_code == status, (status, answer.content)
        validator.validate(answer.json())
    assert "fields" in answers[400].json()["error"]


# --- Inputs -------------------------------------------------------------------------


def test_reads_document_get_with_query_parameters_and_post_with_a_body(document):
    for action in registry.all_actions():
        item = document["paths"][f"/api/actions/{action.name}/"]
        body_ref = f"#/components/schemas/{_component_of(action.input)}Request"
        post_body = item["post"]["requestBody"]["content"]["application/json"]
        assert post_body["schema"] == {"$ref": body_ref}, action.name
        if action.read_only:
            assert set(item) == {"get", "post"}, action.name
            assert "requestBody" not in item["get"]
            parameters = _in_query(item["get"])
            documented = {p["name"].removesuffix("[]") for p in parameters}
            assert documented == set(action.input().fields), action.name
        else:
            assert set(item) == {"post"}, action.name


def _in_query(operation) -> list[dict]:
    """The operation's query parameters (every action also takes the X-Org header)."""
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def _component_of(serializer_class) -> str:
    """Named after the app's label (`tests.testapp` is `testapp`)."""
    app = apps.get_containing_app_config(serializer_class.__module__)
    return app.label.title() + serializer_class.__name__


def test_query_parameters_are_typed_from_the_serializer(document):
    params = {
        p["name"]: p
        for p in _in_query(document["paths"]["/api/actions/list-memos/"]["get"])
    }
    assert params["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 50,
    }
    assert params["folder"]["schema"]["type"] == "integer"
    assert params["q"]["schema"] == {"type": "string", "minLength": 1, "maxLength": 200}
    get_memo = _in_query(document["paths"]["/api/actions/get-memo/"]["get"])
    assert [(p["name"], p.get("required")) for p in get_memo] == [("id", True)]
    sql = {
        p["name"]: p
        for p in _in_query(document["paths"]["/api/actions/db-query/"]["get"])
    }
    assert sql["params[]"]["schema"]["type"] == "array"
    assert (sql["params[]"]["style"], sql["params[]"]["explode"]) == ("form", True)


class Kinds(serializers.Serializer):
    org = serializers.UUIDField()
    flag = serializers.BooleanField(required=False)
    count = serializers.IntegerField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    anything = serializers.ListField(child=serializers.JSONField(), required=False)


def test_query_parameters_of_every_kind_are_typed():
    fields = Kinds().fields
    typed = {name: _query_parameter(name, field) for name, field in fields.items()}
    assert typed["org"].type == {"type": "string", "format": "uuid"}
    assert typed["flag"].type == {"type": "boolean"}
    # Null cannot travel in a query string.
    assert typed["count"].type == {"type": "integer"}
    assert (typed["tags"].name, typed["tags"].type["items"]) == (
        "tags[]",
        {"type": "string", "minLength": 1},
    )
    # A free-form list item arrives as a string.
    assert typed["anything"].type["items"] == {"type": "string"}


def test_the_documented_list_parameter_is_the_one_the_api_reads(alice):
    """`params[]=a&params[]=b`, exploded, as the document says."""
    answer = alice.get(
        "/api/actions/db-query/?sql=SELECT+?,+?&params[]=one&params[]=two"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["rows"] == [["one", "two"]]


def test_ids_are_bounded_as_the_databases_bound_them(document, alice):
    """A number no row id can be is refused as input (it made SQLite raise
    OverflowError), and the document says where ids end."""
    params = _in_query(document["paths"]["/api/actions/get-memo/"]["get"])
    assert params[0]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_ID,
    }
    for path, query in [
        ("/api/actions/get-memo/", {"id": MAX_ID + 1}),
        ("/api/actions/list-memos/", {"folder": 10**25}),
    ]:
        answer = alice.get(path, query)
        assert answer.status_code == 400, answer.content
    assert alice.get("/api/actions/get-memo/", {"id": MAX_ID}).status_code == 404


def test_sql_parameters_are_documented_as_the_scalars_agent_sql_takes(alice):
    tools = {a["name"]: a for a in alice.get("/api/actions/").json()["actions"]}
    items = tools["db-query"]["input_schema"]["properties"]["params"]["items"]
    assert items == {
        "anyOf": [{"type": ["string", "number", "boolean"]}, {"type": "null"}]
    }
    for params, status in [
        (["a", 1, 1.5, True, None], 200),
        ([{"a": 1}], 400),
        ([[1]], 400),
        ([2**70], 400),  # SQLite cannot bind it: was a 500
    ]:
        answer = alice.post(
            "/api/actions/db-query/",
            {"sql": "SELECT " + ", ".join("?" * len(params)), "params": params},
            "application/json",
        )
        assert answer.status_code == status, (params, answer.content)


# --- Non-blank strings ---------------------------------------------------------------


class Strings(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    memo = serializers.CharField(allow_blank=True, required=False)


def test_non_blank_strings_have_min_length_1_in_the_tools_and_the_document(
    document, alice
):
    tools = {a["name"]: a for a in alice.get("/api/actions/").json()["actions"]}
    title = tools["create-memo"]["input_schema"]["properties"]["title"]
    body = tools["create-memo"]["input_schema"]["properties"]["body"]
    assert (title["minLength"], "minLength" in body) == (1, False)
    component = document["components"]["schemas"]["TestappMemoInputRequest"]
    assert component["properties"]["title"] == title
    assert component["properties"]["body"] == body
    # Coming out, a string is whatever the row holds.
    assert "minLength" not in output_schema(Strings)["properties"]["name"]
    assert field_schema(Strings().fields["name"])["minLength"] == 1


@pytest.mark.parametrize(
    "data", [{"name": ""}, {"name": "x"}, {"name": "x", "memo": ""}, {"memo": "x"}]
)
def test_the_schema_refuses_blank_strings_as_the_serializer_does(data):
    says = jsonschema.Draft202012Validator(serializer_schema(Strings)).is_valid(data)
    assert says == Strings(data=data).is_valid()


# --- Credentials --------------------------------------------------------------------


def test_security_schemes_name_every_credential(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["session"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": schemes["session"]["description"],
    }
    assert (schemes["csrf"]["in"], schemes["csrf"]["name"].lower()) == (
        "header",
        "x-csrftoken",
    )
    for name in ("personalToken", "accessToken", "a2aJwt"):
        assert (schemes[name]["type"], schemes[name]["scheme"]) == ("http", "bearer")
    assert schemes["a2aJwt"]["bearerFormat"] == "JWT"


def test_operations_take_the_credentials_the_api_accepts(document):
    for path, method, operation in _operations(document):
        session = {"session": []} if method == "get" else {"session": [], "csrf": []}
        assert operation["security"] == [
            session,
            {"personalToken": []},
            {"a2aJwt": []},
            {"accessToken": []},
        ], (path, method)


def test_each_documented_scheme_signs_in(settings, world):
    """The schemes are not decoration: each one authenticates `/api/me/`."""
    settings.ACCOUNTS_ACCESS_TOKENS = {
        "a-static-token-for-scripts-0123456789": "bob@bobco.test"
    }
    settings.A2A_SECRET = "a2a-test-secret-that-is-long-enough-0123456789"
    settings.APP_URL = "http://testserver"
    _, personal = api_token_create(user=world.alice, name="openapi")
    jwt = a2a_tokens.sign(sub=world.carol.email, aud=a2a_tokens.a2a_url())
    bearer = {
        "token": personal,
        "access_token": "a-static-token-for-scripts-0123456789",
        "a2a": jwt,
    }
    for kind, token in bearer.items():
        answer = Client().get("/api/me/", headers={"Authorization": f"Bearer {token}"})
        assert answer.json()["auth"] == kind, answer.content
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.alice)
    assert browser.get("/api/me/").json()["auth"] == "session"
    # A session without the CSRF header may not write.
    refused = browser.post(
        "/api/actions/create-memo/",
        json.dumps({"title": "x"}),
        content_type="application/json",
    )
    assert refused.status_code == 403


# --- Generation ---------------------------------------------------------------------


def test_generation_is_valid_and_warns_of_nothing(tmp_path):
    """drf-spectacular's own validation, failing on any warning or error (a name
    two components share, an operationId two operations share, an unknown view)."""
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.stat().st_size > 0


def test_component_names_and_operation_ids_are_unique(document):
    ids = [operation["operationId"] for _, _, operation in _operations(document)]
    assert len(ids) == len(set(ids))
    components = document["components"]["schemas"]
    # Two apps' `DeletedSerializer`s, two shapes: two names.
    assert "Deleted" not in components
    assert components["TestappDeleted"] != components["AccountsDeleted"]
    assert _resolve(document, {"$ref": "#/components/schemas/TestappDeleted"})[
        "required"
    ] == ["id", "deleted"]


@pytest.mark.slow
def test_check_deploy_prints_no_drf_spectacular_warning():
    """drf-spectacular's deploy check generates the document and reports each
    warning as drf_spectacular.W001/W002: there are none."""
    result = run_python(CHECK_DEPLOY, clean_env(**GOOD))
    output = result.stdout + result.stderr
    assert "drf_spectacular" not in output, output
