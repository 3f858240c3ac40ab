"""An org secret's masked tail is shown to owners and admins; members see it exists."""

import pytest

from accounts import crypto, secrets
from orgs.models import Role
from tests.actions.conftest import call
from tests.factories import member_of

pytestmark = pytest.mark.django_db

ORG_VALUE = "sk-org-shared-key-wxyz"
OWN_VALUE = "sk-carols-own-key-9876"


@pytest.fixture(autouse=True)
def _secrets(world, settings):
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = (
        "tails-encryption-key-material-0123456789abcdef"
    )
    secrets.secret_set(
        user=world.alice, org=world.acme, name="SHARED", value=ORG_VALUE, scope="org"
    )
    secrets.secret_set(user=world.carol, org=world.acme, name="MINE", value=OWN_VALUE)
    yield
    crypto._keys.cache_clear()


def _listed(user) -> dict:
    response = call(user, "list-secrets")
    assert response.status_code == 200
    return {(row["scope"], row["name"]): row["masked"] for row in response.json()}


def test_owner_and_admin_see_the_org_secrets_tail(world):
    admin = member_of(world.acme, email="erin@acme.test", role=Role.ADMIN)
    for user in (world.alice, admin):
        assert _listed(user)[("org", "SHARED")] == "••••wxyz"
        [row] = [
            s
            for s in secrets.secrets_visible_to(user=user, org=world.acme)
            if s["name"] == "SHARED"
        ]
        assert row["masked"] == "••••wxyz"


def test_a_member_sees_that_the_org_secret_exists_but_not_its_tail(world):
    listed = _listed(world.carol)
    assert listed[("org", "SHARED")] == "••••"
    [row] = [
        s
        for s in secrets.secrets_visible_to(user=world.carol, org=world.acme)
        if s["name"] == "SHARED"
    ]
    assert row["masked"] == "••••"
    assert "wxyz" not in str(row)


def test_a_member_still_sees_the_tail_of_their_own_secret(world):
    assert _listed(world.carol)[("user", "MINE")] == "••••9876"
