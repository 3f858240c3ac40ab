"""The org a call acts in: X-Org (members only, this request only), else the org
the credential is bound to, else the active org; only switch-org changes that."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import AuditEvent
from accounts.services import api_token_create
from orgs import services
from orgs.models import ActiveOrg
from scoping.scopes import unscoped
from tests.accounts.mfa import reauthenticate
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db


@pytest.fixture
def side(world):
    """A second org of Alice's; Acme stays her active org."""
    org = services.org_create(user=world.alice, name="Side")
    services.active_org_switch(user=world.alice, org=world.acme)
    return org


def _post(secret, name, data, **headers):
    return Client().post(
        f"/api/actions/{name}/",
        json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", **headers},
    )


def _titles(secret, **headers):
    response = Client().get(
        "/api/actions/list-memos/",
        headers={"Authorization": f"Bearer {secret}", **headers},
    )
    assert response.status_code == 200, response.content
    return sorted(note["title"] for note in response.json())


def _org_of(title):
    with unscoped(reason="test"):
        return Memo.objects.get(title=title).org_id


def _active_org(user):
    return ActiveOrg.objects.get(user=user).org_id


@pytest.mark.parametrize("ref", ["slug", "pk"])
def test_x_org_names_the_org_of_one_call(world, side, ref):
    _, secret = api_token_create(user=world.alice, name="agent")
    org_ref = str(getattr(side, ref))
    response = _post(secret, "create-memo", {"title": "in side"}, **{"X-Org": org_ref})
    assert response.status_code == 200, response.content
    assert _org_of("in side") == side.pk
    assert _titles(secret, **{"X-Org": org_ref}) == ["in side"]
    # This request only: the next call, and the person's browser, stay in Acme.
    assert _titles(secret) == ["alice's memo"]
    assert _active_org(world.alice) == world.acme.pk
    event = AuditEvent.objects.filter(action="memo.created").latest("id")
    assert event.org_id == side.pk


@pytest.mark.parametrize(
    "org_ref",
    ["bobco", "no-such-org", "00000000-0000-0000-0000-000000000000", "x" * 5000, "☃"],
)
def test_x_org_of_an_org_one_is_not_in_is_a_404_that_reveals_nothing(world, org_ref):
    """Bobco exists and Alice is not in it: the same answer as for no org at all."""
    _, secret = api_token_create(user=world.alice, name="agent")
    if org_ref == "bobco":
        org_ref = world.bobco.slug
    response = _post(secret, "create-memo", {"title": "stray"}, **{"X-Org": org_ref})
    assert response.status_code == 404
    body = response.json()["error"]
    assert body["code"] == "not_found"
    assert "Bobco" not in body["message"]
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="stray").exists()


def test_x_org_works_with_the_browsers_session_too(client, world, side):
    client.force_login(world.alice)
    response = client.post(
        "/api/actions/create-memo/",
        json.dumps({"title": "session side"}),
        content_type="application/json",
        headers={"X-Org": side.slug},
    )
    assert response.status_code == 200, response.content
    assert _org_of("session side") == side.pk
    assert _active_org(world.alice) == world.acme.pk


def test_pages_do_not_read_x_org(client, world, side):
    client.force_login(world.alice)
    client.post(
        "/team/rename/", {"rename-name": "Renamed"}, headers={"X-Org": side.slug}
    )
    world.acme.refresh_from_db()
    side.refresh_from_db()
    assert (world.acme.name, side.name) == ("Renamed", "Side")


def test_a_token_made_for_one_org_acts_only_in_it(world, side):
    _, secret = api_token_create(user=world.alice, name="side", org_id=side.pk)
    assert _post(secret, "create-memo", {"title": "bound"}).status_code == 200
    assert _org_of("bound") == side.pk  # though Acme is her active org
    assert _titles(secret, **{"X-Org": side.slug}) == ["bound"]
    refused = _post(secret, "create-memo", {"title": "out"}, **{"X-Org": "acme"})
    assert refused.status_code == 404
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="out").exists()


def test_a_token_for_an_org_one_has_left_acts_nowhere(world):
    _, secret = api_token_create(user=world.carol, name="acme", org_id=world.acme.pk)
    services.member_remove(org=world.acme, actor=world.alice, member=world.carol)
    response = _post(secret, "create-memo", {"title": "after leaving"})
    assert response.status_code == 404
    with unscoped(reason="test"):
        assert not Memo.objects.filter(title="after leaving").exists()


def test_a_token_is_made_only_for_an_org_of_ones_own(world):
    from config.errors import InvalidInput

    with pytest.raises(InvalidInput):
        api_token_create(user=world.alice, name="stray", org_id=world.bobco.pk)


def test_the_token_page_makes_a_token_for_one_org(client, world, side):
    client.force_login(world.alice)
    reauthenticate(client)
    page = client.get("/account/").content.decode()
    assert f'value="{side.pk}"' in page
    assert f'value="{world.bobco.pk}"' not in page
    response = client.post(
        "/account/tokens/", {"token-name": "for side", "token-org": str(side.pk)}
    )
    assert response.status_code == 200
    token = world.alice.api_tokens.get(name="for side")
    assert token.bound_org_id == side.pk
    assert "for Side" in client.get("/account/").content.decode()


def test_only_switch_org_changes_the_active_org(world, side):
    _, secret = api_token_create(user=world.alice, name="agent")
    _post(secret, "rename-org", {"name": "Side renamed"}, **{"X-Org": side.slug})
    assert _active_org(world.alice) == world.acme.pk
    assert _post(secret, "switch-org", {"org": str(side.pk)}).status_code == 200
    assert _active_org(world.alice) == side.pk


@pytest.mark.parametrize("ref", ["slug", "pk"])
def test_the_cli_takes_org_for_one_call(world, side, ref):
    out = StringIO()
    call_command(
        *("action", "create-memo", "--as", world.alice.email),
        *("--org", str(getattr(side, ref)), "--field", "title", "from the cli"),
        stdout=out,
    )
    assert _org_of("from the cli") == side.pk
    assert _active_org(world.alice) == world.acme.pk


def test_the_cli_refuses_an_org_one_is_not_in(world):
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            *("action", "create-memo", "--as", world.alice.email),
            *("--org", world.bobco.slug, "--field", "title", "stray"),
            stdout=StringIO(),
            stderr=err,
        )
    assert json.loads(err.getvalue())["error"]["code"] == "not_found"


def test_the_openapi_document_names_the_header(client, world):
    client.force_login(world.alice)
    document = client.get("/api/schema/", headers={"Accept": "application/json"})
    for path, operations in document.json()["paths"].items():
        if not path.startswith("/api/actions/"):
            continue
        for method, operation in operations.items():
            names = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
            assert ("header", "X-Org") in names, (method, path)
