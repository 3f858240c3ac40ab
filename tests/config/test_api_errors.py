"""Every exception DRF can raise reaches clients as the one envelope, with DRF's
status; 500s say nothing of their cause."""

import inspect

import pytest
from django.test import Client
from rest_framework import exceptions

from tests.config.api_urls import SECRET_DETAIL

pytestmark = [pytest.mark.urls("tests.config.api_urls"), pytest.mark.django_db]

# The envelope's code for each status (DESIGN.md, "API errors").
CODE_OF_STATUS = {
    400: "invalid_input",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
    500: "internal_error",
    503: "service_unavailable",
}

DRF_EXCEPTIONS = [
    cls
    for _, cls in inspect.getmembers(exceptions, inspect.isclass)
    if issubclass(cls, exceptions.APIException)
]


def test_the_list_holds_what_has_been_seen():
    """So the parametrized test below is not vacuous."""
    names = {cls.__name__ for cls in DRF_EXCEPTIONS}
    assert names >= {
        "APIException",
        "ParseError",
        "AuthenticationFailed",
        "NotAuthenticated",
        "PermissionDenied",
        "NotFound",
        "MethodNotAllowed",
        "NotAcceptable",
        "UnsupportedMediaType",
        "Throttled",
        "ValidationError",
    }


@pytest.mark.parametrize("cls", DRF_EXCEPTIONS, ids=lambda cls: cls.__name__)
def test_every_drf_exception_is_an_envelope_with_drfs_status(cls):
    response = Client(raise_request_exception=False).get(
        f"/api/test/raise/{cls.__name__}/"
    )
    assert response.status_code == cls.status_code
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == CODE_OF_STATUS[cls.status_code]
    assert error["message"]


def test_an_api_exception_of_our_own_is_a_500_without_its_detail(caplog):
    response = Client(raise_request_exception=False).get(
        "/api/test/raise/APIException/"
    )
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "Something went wrong on our side.",
        }
    }
    assert SECRET_DETAIL not in response.content.decode()
    assert any(record.exc_info for record in caplog.records)  # the log has it
