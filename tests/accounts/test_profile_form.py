"""The profile form on /account/ saves what it shows: posted as the page renders it,
the name is kept or changed, never blanked."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The named fields of the form posting to `action`, with their values."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif (
            self.inside and tag in {"input", "textarea", "select"} and attrs.get("name")
        ):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _rendered_profile_form(client) -> dict:
    parser = _FormFields("/account/profile/")
    parser.feed(client.get("/account/").content.decode())
    assert parser.fields, "the page has no profile form"
    return parser.fields


def _name_field(fields: dict) -> str:
    (name,) = [field for field in fields if field.endswith("name")]
    return name


def test_saving_the_form_as_rendered_keeps_the_name(client, user):
    user.name = "Ada Lovelace"
    user.save()
    client.force_login(user)
    fields = _rendered_profile_form(client)
    assert fields[_name_field(fields)] == "Ada Lovelace"

    response = client.post("/account/profile/", fields)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Ada Lovelace"


def test_a_name_typed_into_the_rendered_field_is_saved(client, user):
    client.force_login(user)
    fields = _rendered_profile_form(client)
    fields[_name_field(fields)] = "Grace Hopper"

    client.post("/account/profile/", fields)

    user.refresh_from_db()
    assert user.name == "Grace Hopper"
    assert _rendered_profile_form(client)[_name_field(fields)] == "Grace Hopper"
