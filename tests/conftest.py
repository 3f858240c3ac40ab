from types import SimpleNamespace

import pytest
from django.db import connection, connections

from tests.factories import PASSWORD, UserFactory, member_of


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test database is migrated as its tables' own role, laid out
    first as a deploy's release step does: that needs a superuser's URL."""
    from django.conf import settings

    if connection.vendor == "postgresql" and not settings.DATABASE_ADMIN_URL:
        pytest.exit(
            "The PostgreSQL tests need DATABASE_ADMIN_URL, a superuser's URL (e.g. "
            "postgres://postgres@127.0.0.1:5432/), to lay out the database roles.",
            returncode=2,
        )


def pytest_collection_modifyitems(config, items):
    """Skip tests marked for the other database engine."""
    vendor = connection.vendor
    for item in items:
        if "postgres" in item.keywords and vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL"))
        if "sqlite" in item.keywords and vendor != "sqlite":
            item.add_marker(pytest.mark.skip(reason="needs SQLite"))


class DatabaseOutage:
    """Points the default connection at a place with no database, and back: a file
    in a missing folder for SQLite, a port nothing listens on (9, discard) for
    PostgreSQL. The driver's own connect fails, as in a real outage."""

    def __init__(self, missing_folder):
        self.connection = connections["default"]
        self.saved = dict(self.connection.settings_dict)
        self.missing_folder = missing_folder

    def begin(self, *, port: int = 9):
        """From now on connecting fails; on PostgreSQL, `port` says where to."""
        if self.connection.vendor == "sqlite":
            unreachable = {"NAME": str(self.missing_folder / "db.sqlite3")}
        else:
            unreachable = {"PORT": str(port)}
        self.connection.close()
        self.connection.settings_dict.update(unreachable)

    def end(self):
        self.connection.close()
        self.connection.settings_dict.update(self.saved)


@pytest.fixture
def database_outage(tmp_path):
    """Call `.begin()` once the test's data exists; it ends with the test, or at
    `.end()`."""
    outage = DatabaseOutage(tmp_path / "missing")
    yield outage
    outage.end()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def mandatory_verification(settings):
    """Email verification as production has it (local and test settings skip it)."""
    settings.ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = False
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and other cached state never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def celery_eager():
    """Run tasks in the test's process (unit tests only; `make run` uses a worker)."""
    from config.celery_app import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def mcp_url(live_server, settings):
    """`/mcp` on a live server whose APP_URL is its own (for the MCP SDK's client)."""
    settings.APP_URL = live_server.url
    return f"{live_server.url}/mcp"


@pytest.fixture
def world(db):
    """Alice and Carol in Acme, Bob in Bobco; each with a private memo and a folder
    in their org (the test app's rows: tests/testapp)."""
    from orgs import services as orgs
    from orgs.models import Role
    from scoping.scopes import scope
    from tests.testapp import services as memos

    alice = UserFactory(email="alice@acme.test")
    acme = orgs.org_create(user=alice, name="Acme")
    bob = UserFactory(email="bob@bobco.test")
    bobco = orgs.org_create(user=bob, name="Bobco")
    carol = member_of(acme, email="carol@acme.test", role=Role.MEMBER)
    with scope(owner_email=alice.email, org_id=acme.pk):
        alice_memo = memos.memo_create(title="alice's memo")
        acme_folder = memos.folder_create(name="Acme folder")
    with scope(owner_email=bob.email, org_id=bobco.pk):
        bob_memo = memos.memo_create(title="bob's memo")
        bobco_folder = memos.folder_create(name="Bobco folder")
    with scope(owner_email=carol.email, org_id=acme.pk):
        carol_memo = memos.memo_create(title="carol's memo")
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        carol=carol,
        acme=acme,
        bobco=bobco,
        alice_memo=alice_memo,
        bob_memo=bob_memo,
        carol_memo=carol_memo,
        acme_folder=acme_folder,
        bobco_folder=bobco_folder,
    )
