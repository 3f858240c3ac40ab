"""The project's URLs plus the test app's slow request (tests/testapp/views.py)."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from tests.testapp import views

urlpatterns = [
    *project_urlpatterns,
    path("test/slow-write/<str:name>/", views.slow_write),
]
