"""Local to real: in DEBUG a signed-in user takes over what they made as
dev@local.test (AUTH_DISABLED) or as the throwaway dev account: its private rows and
personal secrets become theirs and they join its organizations. Refused, and not
offered, outside DEBUG; only those two accounts can be claimed."""

import pytest
from django.test import Client

from a2a.models import A2ATask, TaskState
from accounts import crypto, secrets
from accounts.models import AuditEvent, OAuthToken, Secret, User
from accounts.ownership import LOCAL_DATA_CLAIMED, local_data_claim
from accounts.services import (
    AUTH_DISABLED_EMAIL,
    auth_disabled_user,
    dev_account_ensure,
)
from config.errors import Conflict, PermissionDenied
from orgs import services as orgs
from orgs.models import Membership, Role
from scoping.scopes import scope, unscoped
from tests.factories import UserFactory
from tests.testapp import services as memos
from tests.testapp.models import Folder, Memo

pytestmark = pytest.mark.django_db

CLAIM = "/account/claim-local-data/"
TOKEN = {"access_token": "gho_local-token"}


@pytest.fixture(autouse=True)
def local(settings):
    settings.DEBUG = True
    settings.ACCOUNTS_DISABLE_AUTO_DEV_ACCOUNT = False
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = (
        "claim-key-material-0123456789abcdef012345"
    )
    yield
    crypto._keys.cache_clear()


def _fill(user):
    """An org of `user`'s own, with a row of every kind in it, and a secret."""
    org = orgs.org_create(user=user, name=f"Org of {user.email}")
    with scope(owner_email=user.email, org_id=org.pk):
        memos.memo_create(title=f"note of {user.email}")
        memos.folder_create(name=f"notebook of {user.email}")
        A2ATask.objects.create(
            context_id="ctx", state=TaskState.COMPLETED, action="create-memo"
        )
        secrets.oauth_token_save(provider="github", account_id="gh-1", token=TOKEN)
    secrets.secret_set(user=user, org=org, name="OPENAI_KEY", value="sk-local-0123456")
    return org


@pytest.fixture
def dev(db):
    """dev@local.test, as AUTH_DISABLED makes it, with data in its own org."""
    dev = auth_disabled_user()
    dev.org = _fill(dev)
    return dev


@pytest.fixture
def me(db):
    return UserFactory(email="me@real.test")


def _sees(user, org):
    with scope(owner_email=user.email, org_id=org.pk):
        return {
            "memos": list(Memo.objects.values_list("title", flat=True)),
            "folders": list(Folder.objects.values_list("name", flat=True)),
            "tasks": A2ATask.objects.count(),
            "token": secrets.oauth_token_get(provider="github", account_id="gh-1"),
        }


def test_the_button_claims_the_data_of_dev_at_local_test(client, dev, me):
    client.force_login(me)
    page = client.get("/account/").content.decode()
    assert f'action="{CLAIM}"' in page
    assert f'value="{AUTH_DISABLED_EMAIL}"' in page

    response = client.post(CLAIM, {"email": AUTH_DISABLED_EMAIL})

    assert response.status_code == 302
    assert _sees(me, dev.org) == {
        "memos": [f"note of {AUTH_DISABLED_EMAIL}"],
        "folders": [f"notebook of {AUTH_DISABLED_EMAIL}"],
        "tasks": 1,
        "token": TOKEN,  # re-encrypted for its new owner: it still opens
    }
    assert _sees(dev, dev.org)["memos"] == []
    # The secret is bound to its new owner and opens for them only.
    assert secrets.resolve_secret("OPENAI_KEY", user=me, org=dev.org) == (
        "sk-local-0123456"
    )
    assert not Secret.objects.filter(scope_id=str(dev.pk)).exists()
    # The dev user made the org, so the claimant owns it now too; the dev user stays.
    assert Membership.objects.get(user=me, org=dev.org).role == Role.OWNER
    assert Membership.objects.get(user=dev, org=dev.org).role == Role.OWNER


def test_the_claim_is_audited_once(client, dev, me):
    client.force_login(me)
    client.post(CLAIM, {"email": AUTH_DISABLED_EMAIL})
    event = AuditEvent.objects.get(action=LOCAL_DATA_CLAIMED)
    assert event.actor == me
    assert event.metadata["source"] == AUTH_DISABLED_EMAIL
    assert event.metadata["keys"] == ["OPENAI_KEY"]
    assert event.metadata["orgs"] == [str(dev.org.pk)]
    assert {"table": "testapp_memo", "rows": 1} in event.metadata["moved"]


def test_the_throwaway_dev_account_can_be_claimed_through_the_action(db):
    email, _ = dev_account_ensure()
    throwaway = User.objects.get(email=email)
    org = _fill(throwaway)
    me = UserFactory(email="me@real.test")
    client = Client()
    client.force_login(me)

    response = client.post(
        "/api/actions/claim-local-data/",
        {"email": email},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["source"] == email
    assert response.json()["keys"] == ["OPENAI_KEY"]
    assert _sees(me, org)["memos"] == [f"note of {email}"]


def test_a_higher_role_of_the_claimant_is_kept(dev, me):
    mine = orgs.org_create(user=me, name="Mine")
    Membership.objects.create(user=dev, org=mine, role=Role.MEMBER)
    local_data_claim(user=me, source_email=AUTH_DISABLED_EMAIL)
    assert Membership.objects.get(user=me, org=mine).role == Role.OWNER


def _untouched(dev):
    """dev@local.test still has every row and its secret; nothing was claimed."""
    with unscoped(reason="test"):
        assert Memo.objects.get(title=f"note of {AUTH_DISABLED_EMAIL}").owner_email == (
            AUTH_DISABLED_EMAIL
        )
        assert A2ATask.objects.filter(owner_email=AUTH_DISABLED_EMAIL).count() == 1
        assert OAuthToken.objects.filter(owner_email=AUTH_DISABLED_EMAIL).count() == 1
    assert secrets.resolve_secret("OPENAI_KEY", user=dev, org=None) == (
        "sk-local-0123456"
    )
    assert not AuditEvent.objects.filter(action=LOCAL_DATA_CLAIMED).exists()


def test_refused_and_not_offered_without_debug(client, settings, dev, me):
    settings.DEBUG = False
    client.force_login(me)
    assert CLAIM not in client.get("/account/").content.decode()

    client.post(CLAIM, {"email": AUTH_DISABLED_EMAIL})
    response = client.post(
        "/api/actions/claim-local-data/",
        {"email": AUTH_DISABLED_EMAIL},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    with pytest.raises(PermissionDenied):
        local_data_claim(user=me, source_email=AUTH_DISABLED_EMAIL)
    _untouched(dev)
    assert not Membership.objects.filter(user=me, org=dev.org).exists()


def test_only_the_stand_in_accounts_can_be_claimed(client, dev, me):
    victim = UserFactory(email="victim@real.test")
    victim_org = _fill(victim)
    client.force_login(me)

    client.post(CLAIM, {"email": victim.email})

    with pytest.raises(PermissionDenied):
        local_data_claim(user=me, source_email=victim.email)
    assert _sees(victim, victim_org)["memos"] == ["note of victim@real.test"]
    assert not Membership.objects.filter(user=me, org=victim_org).exists()
    _untouched(dev)


def test_the_post_needs_the_csrf_token(dev, me):
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)
    client.raise_request_exception = False
    assert client.post(CLAIM, {"email": AUTH_DISABLED_EMAIL}).status_code == 403
    _untouched(dev)


def test_a_secret_of_the_same_name_refuses_the_whole_claim(dev, me):
    secrets.secret_set(user=me, org=None, name="OPENAI_KEY", value="sk-mine-0123456")
    with pytest.raises(Conflict):
        local_data_claim(user=me, source_email=AUTH_DISABLED_EMAIL)
    _untouched(dev)
    assert secrets.resolve_secret("OPENAI_KEY", user=me, org=None) == (
        "sk-mine-0123456"
    )
