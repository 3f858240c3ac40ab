"""Making another verified address primary on /accounts/email/ takes the user's data
along: every row keyed by the old address moves to the new one, in the transaction
that changes `User.email`, with one audit row; a failure changes nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.db import connection

from a2a.models import A2ATask, TaskState
from accounts import crypto, secrets
from accounts.models import AuditEvent, OAuthToken, User
from accounts.ownership import EMAIL_CHANGED, owner_email_move
from config.errors import Conflict
from orgs import services as orgs
from scoping.scopes import scope, unscoped
from tests.accounts.mfa import sign_in
from tests.factories import UserFactory
from tests.testapp import services as memos
from tests.testapp.models import Folder, Memo

OLD = "ada@old.test"
NEW = "ada@new.test"
TOKEN = {"access_token": "ya29.the-token-itself"}


@pytest.fixture(autouse=True)
def keys(settings):
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = (
        "email-move-key-material-0123456789abcdef"
    )
    yield
    crypto._keys.cache_clear()


@pytest.fixture
def ada(db):
    """Ada, with a second verified address, an org, and a row of every kind."""
    ada = UserFactory(email=OLD)
    EmailAddress.objects.create(user=ada, email=NEW, verified=True, primary=False)
    org = orgs.org_create(user=ada, name="Ada's")
    with scope(owner_email=OLD, org_id=org.pk):
        memos.memo_create(title="ada's note")
        memos.folder_create(name="ada's notebook")
        A2ATask.objects.create(
            context_id="ctx-1", state=TaskState.COMPLETED, action="create-memo"
        )
        secrets.oauth_token_save(provider="google", account_id="g-1", token=TOKEN)
    secrets.secret_set(user=ada, org=org, name="API_KEY", value="sk-live-0123456789")
    ada.org = org
    return ada


@pytest.fixture
def bob(db, ada):
    """Someone else in Ada's org, whose rows never move."""
    from orgs.models import Membership, Role

    bob = UserFactory(email="bob@else.test")
    Membership.objects.create(org=ada.org, user=bob, role=Role.MEMBER)
    with scope(owner_email=bob.email, org_id=ada.org.pk):
        memos.memo_create(title="bob's note")
    return bob


def _make_primary(client, user, email):
    sign_in(client, user)
    return client.post("/accounts/email/", {"email": email, "action_primary": ""})


def _seen_by(email, org):
    """What a request as `email` in `org` sees, kind by kind."""
    with scope(owner_email=email, org_id=org.pk):
        return {
            "memos": list(Memo.objects.values_list("title", flat=True)),
            "folders": list(Folder.objects.values_list("name", flat=True)),
            "tasks": A2ATask.objects.count(),
            "token": secrets.oauth_token_get(provider="google", account_id="g-1"),
        }


def _everything():
    """Every moved kind of row, with its owner, as the database holds it."""
    with unscoped(reason="test"):
        return {
            "memos": sorted(Memo.objects.values_list("title", "owner_email")),
            "tasks": sorted(A2ATask.objects.values_list("action", "owner_email")),
            "tokens": sorted(OAuthToken.objects.values_list("owner_email", "token")),
        }


@pytest.mark.django_db
def test_a_new_primary_address_keeps_every_row_in_view(client, ada, bob):
    response = _make_primary(client, ada, NEW)
    assert response.status_code == 302

    ada.refresh_from_db()
    assert ada.email == NEW
    assert _seen_by(NEW, ada.org) == {
        "memos": ["ada's note"],
        "folders": ["ada's notebook"],
        "tasks": 1,
        "token": TOKEN,
    }
    assert _seen_by(OLD, ada.org) == {
        "memos": [],
        "folders": ["ada's notebook"],  # the org's, never the address's
        "tasks": 0,
        "token": None,
    }
    # Someone else's rows stay theirs.
    assert _seen_by(bob.email, ada.org)["memos"] == ["bob's note"]


@pytest.mark.django_db
def test_the_pages_show_the_moved_rows_at_once(client, ada):
    _make_primary(client, ada, NEW)
    titles = [m["title"] for m in client.get("/api/actions/list-memos/").json()]
    assert "ada's note" in titles


@pytest.mark.django_db
def test_an_oauth_token_is_encrypted_again_for_its_new_owner(client, ada):
    with unscoped(reason="test"):
        before = OAuthToken.objects.get().token
    _make_primary(client, ada, NEW)
    with unscoped(reason="test"):
        row = OAuthToken.objects.get()
    assert row.owner_email == NEW
    assert row.token != before  # re-bound: the old ciphertext named the old address
    assert crypto.decrypt(row.token, bound_to=row.bound_to) == (
        '{"access_token": "ya29.the-token-itself"}'
    )
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(before, bound_to=row.bound_to)


@pytest.mark.django_db
def test_an_a2a_task_moves_with_its_owner(client, ada):
    _make_primary(client, ada, NEW)
    with unscoped(reason="test"):
        assert list(A2ATask.objects.values_list("owner_email", flat=True)) == [NEW]


@pytest.mark.django_db
def test_a_secret_still_decrypts_under_the_new_address(client, ada):
    _make_primary(client, ada, NEW)
    ada.refresh_from_db()
    value = secrets.resolve_secret("API_KEY", user=ada, org=ada.org)
    assert value == "sk-live-0123456789"


@pytest.mark.django_db
def test_one_audit_row_names_the_old_and_the_new_address(client, ada):
    _make_primary(client, ada, NEW)
    event = AuditEvent.objects.get(action=EMAIL_CHANGED)
    assert event.actor == ada
    assert event.metadata["old_email"] == OLD
    assert event.metadata["new_email"] == NEW
    assert event.metadata["moved"] == [
        {"table": "a2a_a2atask", "rows": 1},
        {"table": "accounts_oauthtoken", "rows": 1},
        {"table": "testapp_memo", "rows": 1},
    ]


@pytest.mark.django_db
def test_the_service_refuses_another_accounts_address(ada, bob):
    with pytest.raises(Conflict):
        owner_email_move(user=ada, old_email=OLD, new_email=bob.email)
    assert _everything()["memos"] == [("ada's note", OLD), ("bob's note", bob.email)]


@pytest.mark.django_db
def test_an_admin_changing_the_address_moves_the_rows_too(client, ada):
    admin = UserFactory(email="root@site.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/accounts/user/{ada.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "email": "ada@admin-set.test",
            "name": ada.name,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": ada.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": ada.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content
    assert _seen_by("ada@admin-set.test", ada.org)["memos"] == ["ada's note"]
    assert AuditEvent.objects.filter(action=EMAIL_CHANGED).count() == 1


# --- All or nothing -------------------------------------------------------------------


@pytest.fixture
def collision(ada):
    """A token already filed under the new address for the same account: the move
    updates the A2A table first (tables go by name), then breaks the token table's
    unique constraint."""
    with unscoped(reason="test"):
        OAuthToken.objects.create(
            provider="google",
            account_id="g-1",
            owner_email=NEW,
            org_id=ada.org.pk,
            token="left-behind",
        )


@pytest.mark.django_db(transaction=True)
def test_a_failure_mid_move_leaves_the_address_and_every_row(client, ada, collision):
    before = _everything()
    client.raise_request_exception = False

    response = _make_primary(client, ada, NEW)

    assert response.status_code == 500
    ada.refresh_from_db()
    assert ada.email == OLD
    assert EmailAddress.objects.get(user=ada, primary=True).email == OLD
    assert _everything() == before
    assert not AuditEvent.objects.filter(action=EMAIL_CHANGED).exists()
    assert _seen_by(OLD, ada.org)["memos"] == ["ada's note"]


@pytest.mark.django_db(transaction=True)
def test_a_table_with_only_an_owner_column_moves_too(client, ada):
    """The registry finds every scoped table, raw SQL ones included; none is named
    in the move."""
    quote = connection.ops.quote_name
    with unscoped(reason="test", schema_changes=True), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE shop_carts (id integer PRIMARY KEY, owner_email varchar(254))"
        )
    try:
        with unscoped(reason="test"), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote('shop_carts')} VALUES (1, %s), (2, %s)",
                [OLD, "someone@else.test"],
            )
        _make_primary(client, ada, NEW)
        with unscoped(reason="test"), connection.cursor() as cursor:
            cursor.execute("SELECT id, owner_email FROM shop_carts ORDER BY id")
            assert cursor.fetchall() == [(1, NEW), (2, "someone@else.test")]
        assert User.objects.get(pk=ada.pk).email == NEW
    finally:
        with (
            unscoped(reason="test", schema_changes=True),
            connection.cursor() as cursor,
        ):
            cursor.execute("DROP TABLE shop_carts")


@pytest.mark.django_db
def test_a_token_that_does_not_open_refuses_the_move(ada):
    """Moved as is, it could never be re-bound: the move stops, nothing changes."""
    with unscoped(reason="test"):
        OAuthToken.objects.update(token=crypto.encrypt("{}", bound_to="elsewhere"))
    before = _everything()
    with pytest.raises(Conflict):
        owner_email_move(user=ada, old_email=OLD, new_email=NEW)
    assert _everything() == before
    assert not AuditEvent.objects.filter(action=EMAIL_CHANGED).exists()


@pytest.mark.django_db
def test_a_collision_is_a_conflict_and_moves_nothing(ada, collision):
    before = _everything()
    with pytest.raises(Conflict):
        owner_email_move(user=ada, old_email=OLD, new_email=NEW)
    assert _everything() == before
    assert not AuditEvent.objects.filter(action=EMAIL_CHANGED).exists()
