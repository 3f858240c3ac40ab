"""Error responses leak nothing: pages for people, the envelope under /api/."""

import pytest

from tests.config.urls import SECRET_IN_EXCEPTION

pytestmark = [pytest.mark.urls("tests.config.urls"), pytest.mark.django_db]


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/no/such/page", 404, "Page not found"),
        ("/test/forbidden", 403, "Not allowed"),
        ("/test/suspicious", 400, "Bad request"),
        ("/test/boom", 500, "Something went wrong"),
    ],
)
def test_pages_say_what_happened_and_nothing_more(client, path, status, title):
    response = client.get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert title in html
    for leak in (SECRET_IN_EXCEPTION, "Traceback", "config.urls", "Django", "DEBUG"):
        assert leak not in html


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/no/such/thing", 404, "not_found"),
        ("/api/test/forbidden", 403, "permission_denied"),
        ("/api/test/boom", 500, "internal_error"),
    ],
)
def test_api_errors_use_the_envelope(client, path, status, code):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert SECRET_IN_EXCEPTION not in response.content.decode()


def test_the_500_is_logged_with_its_request_id(client, caplog):
    response = client.get("/test/boom", headers={"X-Request-ID": "req-boom-12345"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-boom-12345"
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors
    assert errors[0].exc_info is not None
