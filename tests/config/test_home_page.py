"""The home page, the header and the sign-in redirect work with the framework's URLs
alone: a fork that deletes the example app (notes/) keeps a working site."""

import pytest
from django.urls import reverse

from config.urls import urlpatterns as project_urlpatterns
from orgs import services as orgs
from tests.factories import PASSWORD, UserFactory

# The template's own packages and its libraries'; any other include is an app's.
FRAMEWORK = {"config", "accounts", "orgs", "actions", "webhooks", "a2a", "allauth"}


def _an_apps_include(pattern) -> bool:
    """An include of a module outside the framework (admin.site.urls, a list, is
    not a module)."""
    name = getattr(getattr(pattern, "urlconf_module", None), "__name__", "")
    return bool(name) and name.split(".")[0] not in FRAMEWORK


urlpatterns = [p for p in project_urlpatterns if not _an_apps_include(p)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_signed_out_home_offers_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_a_page_that_needs_sign_in_redirects_to_it(client):
    response = client.get("/team/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_in_lands_on_a_working_dashboard(client):
    user = UserFactory(email="kim@example.com", name="Kim")
    orgs.org_create(user=user, name="Kim's team")
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert "Kim&#x27;s team" in page
    assert reverse("orgs:team") in page  # the header and the dashboard's cards
