"""Generated bodies, headers and query strings thrown at every way in: never a 5xx,
and every 4xx says why in a body a client can read (the error envelope; on /a2a/ a
JSON-RPC error object, or the envelope for what comes before JSON-RPC)."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services import api_token_create
from actions import registry
from tests.a2a.conftest import SECRET as A2A_SECRET
from tests.factories import member_of
from tests.strategies import json_values

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# What WSGI can carry: latin-1 header values, no surrogates in query strings.
header_text = st.text(st.characters(codec="latin-1"), max_size=40)
url_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)

bodies = (
    json_values.map(lambda value: json.dumps(value).encode())
    | st.binary(max_size=120)
    | st.sampled_from([b"", b"[" * 5000, b'{"a":' * 5000, b"\xff\xfe", b"null"])
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=bogus",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "",
    ]
) | header_text.map(lambda text: "application/" + text)
accepts = (
    st.sampled_from(
        [
            "*/*",
            "application/json",
            "application/xml",
            "text/csv",
            "text/html",
            "application/json; q=0",
            "*/*; q=abc",
            "",
        ]
    )
    | header_text
)
extra_headers = st.dictionaries(
    st.sampled_from(
        [
            "Authorization",
            "X-Org",
            "X-Forwarded-For",
            "If-None-Match",
            "A2A-Version",
            "X-Request-Id",
            "Origin",
        ]
    ),
    header_text,
    max_size=3,
)
queries = st.dictionaries(url_text, url_text, max_size=4)
methods = st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])

requests = st.fixed_dictionaries(
    {
        "method": methods,
        "query": queries,
        "body": bodies,
        "content_type": content_types,
        "accept": accepts,
        "headers": extra_headers,
    }
)

EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def send(client, path, request, *, authorization=None):
    headers = {"Accept": request["accept"]}
    if authorization:
        headers["Authorization"] = authorization
    headers.update(request["headers"])
    query = "&".join(
        f"{_quote(key)}={_quote(value)}" for key, value in request["query"].items()
    )
    return client.generic(
        request["method"],
        f"{path}?{query}" if query else path,
        data=request["body"],
        content_type=request["content_type"],
        headers=headers,
    )


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def assert_clear(response, request, *, rpc=False):
    """No 5xx; a 4xx (but a HEAD's, which has no body) explains itself."""
    context = (request, response.status_code, response.content[:300])
    assert response.status_code < 500, context
    if response.status_code < 400 or request["method"] == "HEAD":
        return
    assert response.headers.get("Content-Type", "").startswith("application/json"), (
        context
    )
    body = json.loads(response.content)
    error = body.get("error")
    assert isinstance(error, dict), context
    if rpc and "jsonrpc" in body:
        assert isinstance(error.get("code"), int), context
    else:
        assert isinstance(error.get("code"), str), context
    assert isinstance(error.get("message"), str), context


@pytest.fixture
def token(world, settings):
    settings.ACTIONS_DEFAULT_THROTTLE_RATE = "100000/min"
    owner = member_of(world.acme, email="generated@acme.test", role="owner")
    _, secret = api_token_create(user=owner, name="generated input")
    return f"Bearer {secret}"


@pytest.mark.parametrize("name", [action.name for action in registry.all_actions()])
def test_actions_never_fail_on_generated_requests(token, name):
    client = Client(raise_request_exception=False)

    @EXAMPLES
    @given(request=requests, signed_in=st.booleans())
    def throw(request, signed_in):
        response = send(
            client,
            f"/api/actions/{name}/",
            request,
            authorization=token if signed_in else None,
        )
        assert_clear(response, request)

    throw()


@pytest.mark.parametrize("path", ["/api/actions/", "/api/me/", "/api/schema/"])
def test_api_pages_never_fail_on_generated_requests(token, path):
    client = Client(raise_request_exception=False)

    @EXAMPLES
    @given(request=requests, signed_in=st.booleans())
    def throw(request, signed_in):
        response = send(
            client, path, request, authorization=token if signed_in else None
        )
        assert_clear(response, request)

    throw()


def _providers():
    from webhooks.app_settings import app_settings

    return app_settings.PROVIDERS


@pytest.mark.parametrize("provider", _providers())
def test_webhooks_never_fail_on_generated_requests(db, provider):
    client = Client(raise_request_exception=False)

    @EXAMPLES
    @given(request=requests)
    def throw(request):
        response = send(client, f"/webhooks/{provider}/", request)
        assert_clear(response, request)

    throw()


def test_a2a_never_fails_on_generated_requests(world, settings):
    from a2a.tokens import a2a_url, sign

    settings.A2A_SECRET = A2A_SECRET
    settings.APP_URL = "http://testserver"
    settings.ACTIONS_DEFAULT_THROTTLE_RATE = "100000/min"
    member = member_of(world.acme, email="a2a-generated@acme.test", role="owner")
    client = Client(raise_request_exception=False)
    rpc_bodies = st.fixed_dictionaries(
        {"jsonrpc": st.just("2.0") | json_values, "id": json_values},
        optional={
            "method": st.sampled_from(
                ["SendMessage", "GetTask", "ListTasks", "CancelTask", "nope"]
            )
            | json_values,
            "params": json_values
            | st.dictionaries(
                st.sampled_from(
                    [
                        "message",
                        "configuration",
                        "contextId",
                        "taskId",
                        "id",
                        "historyLength",
                        "pageSize",
                        "pageToken",
                        "includeArtifacts",
                    ]
                ),
                json_values,
                max_size=4,
            ),
        },
    ).map(lambda body: json.dumps(body).encode())

    @EXAMPLES
    @given(
        request=requests.filter(lambda r: True),
        rpc_body=rpc_bodies,
        use_rpc_body=st.booleans(),
        signed_in=st.booleans(),
    )
    def throw(request, rpc_body, use_rpc_body, signed_in):
        if use_rpc_body:
            request = {**request, "method": "POST", "body": rpc_body}
        authorization = None
        if signed_in:
            jwt = sign(sub=member.email, aud=a2a_url(), org_id=str(world.acme.pk))
            authorization = f"Bearer {jwt}"
        response = send(client, "/a2a/", request, authorization=authorization)
        assert_clear(response, request, rpc=True)

    throw()
