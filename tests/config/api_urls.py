"""The project's URLs plus an API view that raises any of DRF's exceptions."""

import inspect

from django.urls import path
from rest_framework import exceptions
from rest_framework.permissions import AllowAny

from config.api import ApiView
from config.urls import urlpatterns as project_urlpatterns

SECRET_DETAIL = "s3cr3t-detail-of-an-api-exception"


def drf_exception(name: str) -> exceptions.APIException:
    """An instance of `rest_framework.exceptions.<name>`, its required arguments
    filled in (so a class DRF adds later is built the same way)."""
    cls = getattr(exceptions, name)
    required = [
        parameter.name
        for parameter in inspect.signature(cls).parameters.values()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind is not inspect.Parameter.VAR_KEYWORD
        and parameter.kind is not inspect.Parameter.VAR_POSITIONAL
    ]
    exc = cls(**dict.fromkeys(required, "x"))
    if cls is exceptions.APIException:
        exc = cls(SECRET_DETAIL)
    return exc


class RaiseView(ApiView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, name):
        raise drf_exception(name)


urlpatterns = [
    path("api/test/raise/<str:name>/", RaiseView.as_view()),
    *project_urlpatterns,
]
