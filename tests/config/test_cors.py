"""CORS applies under /api/ only, and only for listed origins."""

import pytest

ALLOWED = "https://client.example.com"


@pytest.fixture(autouse=True)
def _allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]


def _preflight(client, path, origin):
    return client.options(
        path,
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )


def test_listed_origin_may_call_the_api(client):
    response = _preflight(client, "/api/actions/", ALLOWED)
    assert response["Access-Control-Allow-Origin"] == ALLOWED


def test_unlisted_origin_gets_no_cors_headers(client):
    response = _preflight(client, "/api/actions/", "https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_no_cors_outside_the_api(client):
    response = _preflight(client, "/healthz", ALLOWED)
    assert "Access-Control-Allow-Origin" not in response


def test_no_origin_is_allowed_by_default():
    from config.settings import base

    assert base.CORS_ALLOWED_ORIGINS == []
