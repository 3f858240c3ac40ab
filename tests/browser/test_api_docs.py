"""/api/docs/ in Chromium: Swagger UI, served from this origin, renders the signed-in
user's operations with no console error and no CSP violation."""

import pytest

from orgs import services as orgs
from tests.browser.conftest import Watched
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def test_swagger_ui_renders_the_users_operations_under_the_csp(browser, site):
    user = UserFactory(email="dee@example.com")
    orgs.org_create(user=user, name="Dee Co")
    watched = Watched(browser.new_context().new_page(), "api-docs")
    page = watched.page
    page.goto(site + "/api/docs/")  # signed out: to sign-in, and back after
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site + "/api/docs/")
    operation = page.locator(
        "#swagger-ui .opblock", has_text="/api/actions/create-memo/"
    )
    operation.first.wait_for()
    watched.shot("swagger-ui")
    assert page.locator("#swagger-ui .opblock").count() > 1
    watched.assert_clean()
