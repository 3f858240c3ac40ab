"""The API reads JSON and answers JSON: another body is 415, an Accept it cannot
serve 406, both in the JSON envelope, signed in or not; never a 500."""

import pytest
from django.test import Client
from django.test.client import encode_multipart

from scoping.scopes import unscoped
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db

API_PATHS = [
    "/api/actions/",
    "/api/actions/list-memos/",
    "/api/actions/create-memo/",
    "/api/me/",
    "/api/schema/",
]


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "signed-out"])
@pytest.mark.parametrize("accept", ["application/xml", "text/csv", "text/html"])
@pytest.mark.parametrize("path", API_PATHS)
def test_an_accept_the_api_cannot_serve_is_406_in_json(world, path, accept, signed_in):
    client = _client(world.alice if signed_in else None)
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_acceptable"


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/*",
        "application/json",
        "application/json; q=0.5, text/html",
        "text/html, */*;q=0.8",
    ],
)
@pytest.mark.parametrize(
    "path", ["/api/actions/", "/api/actions/list-memos/", "/api/me/", "/api/schema/"]
)
def test_accepts_that_include_json_are_served(world, path, accept):
    headers = {"Accept": accept} if accept else {}
    response = _client(world.alice).get(path, headers=headers)
    assert response.status_code == 200, response.content
    assert "json" in response["Content-Type"]
    response.json()


FOREIGN_BODIES = {
    "text/plain": ("text/plain", b"title=x"),
    "form-encoded (curl's default)": (
        "application/x-www-form-urlencoded",
        b"title=x",
    ),
    "multipart": (
        "multipart/form-data; boundary=BoUnDaRy",
        encode_multipart("BoUnDaRy", {"title": "x"}),
    ),
    "no content type": ("", b'{"title": "x"}'),
}


@pytest.mark.parametrize("body", FOREIGN_BODIES, ids=list(FOREIGN_BODIES))
@pytest.mark.parametrize("name", ["create-memo", "list-memos"])
def test_a_body_that_is_not_json_is_415(world, name, body):
    content_type, raw = FOREIGN_BODIES[body]
    response = _client(world.alice).generic(
        "POST", f"/api/actions/{name}/", raw, content_type=content_type
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="x").exists()


def test_json_with_a_charset_is_json(world):
    response = _client(world.alice).post(
        "/api/actions/create-memo/",
        '{"title": "ok"}',
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 200, response.content


def test_a_format_query_parameter_is_input_not_negotiation(world):
    """`?format=` does not pick a renderer: it is an (unknown) input field."""
    response = _client(world.alice).get("/api/actions/list-memos/?format=xml")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"format": ["Unknown field."]}
