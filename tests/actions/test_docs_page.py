"""`/api/docs/`: every signed-in user gets the actions they may run, from this origin
under the strict CSP; signed-out people sign in first, and nobody loops."""

import json
from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The page's scripts, stylesheets, inline styles and embedded JSON."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts, self.stylesheets, self.inline = [], [], []
        self.style_attributes = 0
        self.json_blocks: dict[str, str] = {}
        self._in_script: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attributes += 1
        if tag == "script":
            self._in_script = attrs
            if "src" in attrs:
                self.scripts.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "style":
            self.inline.append("<style>")

    def handle_data(self, data):
        if self._in_script is None or not data.strip():
            return
        if self._in_script.get("type") == "application/json":
            self.json_blocks[self._in_script.get("id")] = data
        else:
            self.inline.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _docs(client) -> tuple[object, _Page]:
    response = client.get("/api/docs/", follow=True)
    return response, _Page(response.content.decode())


def test_signed_out_people_go_to_sign_in_and_stop_there(db):
    response = Client().get("/api/docs/", follow=True)
    assert response.status_code == 200
    final_url, _ = response.redirect_chain[-1]
    assert final_url.startswith("/accounts/login/")
    assert "next=/api/docs/" in final_url
    assert len(response.redirect_chain) == 1


def test_a_member_gets_the_page_of_the_actions_they_may_run(world):
    response, page = _docs(_signed_in(world.carol))  # a member, not staff
    assert response.status_code == 200
    assert response.redirect_chain == []
    html = response.content.decode()
    assert 'href="#action-create-memo"' in html
    assert "POST /api/actions/create-memo/" in html
    assert "GET, HEAD, POST" in html  # a read's methods, in the index
    assert "Create a private memo in the current organization." in html
    assert "&quot;additionalProperties&quot;: false" in html  # the input schema
    assert "rename-org" not in html  # admins only
    document = json.loads(page.json_blocks["openapi-document"])
    assert "/api/actions/create-memo/" in document["paths"]
    assert "/api/actions/rename-org/" not in document["paths"]


def test_an_owner_sees_the_owners_actions(world):
    response, page = _docs(_signed_in(world.alice))
    assert 'href="#action-delete-org"' in response.content.decode()
    document = json.loads(page.json_blocks["openapi-document"])
    assert "/api/actions/delete-org/" in document["paths"]


def test_a_user_in_no_organization_gets_a_page_not_a_loop(db, settings):
    from tests.factories import UserFactory

    settings.ORGS_AUTO_CREATE_DEFAULT_ORG = False
    response, _ = _docs(_signed_in(UserFactory(email="solo@nowhere.test")))
    assert response.status_code == 200
    assert response.redirect_chain == []
    html = response.content.decode()
    assert 'href="#action-create-org"' in html  # needs no organization
    assert 'href="#action-create-memo"' not in html


def test_scripts_and_styles_are_files_of_this_origin_that_are_served(world):
    response, page = _docs(_signed_in(world.alice))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-" not in csp
    # Nothing inline the CSP would block: scripts and styles are files, and the
    # one inline <script> carries JSON, which is data, not code.
    assert page.inline == []
    assert page.style_attributes == 0
    assert set(page.json_blocks) == {"openapi-document"}
    assets = page.scripts + page.stylesheets
    assert any(src.endswith("swagger-ui-bundle.js") for src in page.scripts)
    assert any(src.endswith("/js/api-docs.js") for src in page.scripts)
    assert any(href.endswith("swagger-ui.css") for href in page.stylesheets)
    for url in assets:
        assert url.startswith("/static/"), url  # this origin, no CDN
        asset = Client().get(url)  # static files need no sign-in
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content), url


def test_the_page_answers_get_only(world):
    client = _signed_in(world.alice)
    assert client.post("/api/docs/").status_code == 405
