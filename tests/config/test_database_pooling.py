"""DATABASE_POOLING sets the database up for pgbouncer's transaction pooling or for
Django's own pool, and `check --deploy` refuses settings that contradict it."""

import pytest

from config import pooling_checks
from tests.config.test_production_settings import _production_settings

POSTGRESQL = "django.db.backends.postgresql"


def _database(**env) -> dict:
    return _production_settings("DATABASES", **env)["DATABASES"]["default"]


@pytest.mark.slow
def test_transaction_pooling_turns_off_what_outlives_a_transaction():
    database = _database(DATABASE_POOLING="transaction")
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] is None
    assert "pool" not in database["OPTIONS"]
    # The app's own connection to pgbouncer stays persistent and health-checked.
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.slow
def test_pool_mode_turns_on_djangos_pool_without_persistent_connections():
    database = _database(DATABASE_POOLING="pool", DATABASE_POOL_MAX_SIZE="4")
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 5}
    assert database["CONN_MAX_AGE"] == 0
    assert not database.get("DISABLE_SERVER_SIDE_CURSORS")


@pytest.mark.slow
def test_unset_keeps_direct_persistent_connections():
    database = _database()
    assert "pool" not in database["OPTIONS"]
    assert not database.get("DISABLE_SERVER_SIDE_CURSORS")
    assert database["CONN_MAX_AGE"] == 60


@pytest.mark.slow
@pytest.mark.parametrize("value", ["session", "pgbouncer", "yes"])
def test_an_unknown_mode_is_refused_by_name(value):
    from tests.config.test_production_settings import GOOD, SETUP
    from tests.processes import clean_env, run_python

    result = run_python(SETUP, clean_env(**{**GOOD, "DATABASE_POOLING": value}))
    assert result.returncode != 0
    assert f"DATABASE_POOLING={value!r} is not a pooling mode" in result.stderr


@pytest.mark.slow
def test_pooling_on_sqlite_is_refused():
    from tests.config.test_production_settings import SETUP
    from tests.processes import clean_env, run_python

    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="sqlite:////tmp/unused.sqlite3",
        DATABASE_POOLING="transaction",
    )
    result = run_python(SETUP, env)
    assert result.returncode != 0
    assert "DATABASE_POOLING is for PostgreSQL" in result.stderr


def _transaction_pooled(settings, **database):
    settings.DATABASE_POOLING = "transaction"
    settings.DATABASES = {
        "default": {
            "ENGINE": POSTGRESQL,
            "DISABLE_SERVER_SIDE_CURSORS": True,
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"prepare_threshold": None},
            **database,
        }
    }


pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def _ids(messages):
    return [message.id for message in messages]


def test_transaction_pooling_as_configured_passes_every_check(settings):
    _transaction_pooled(settings)
    for check in (
        pooling_checks.check_no_server_side_cursors_under_transaction_pooling,
        pooling_checks.check_no_prepared_statements_under_transaction_pooling,
        pooling_checks.check_no_session_role_under_transaction_pooling,
        pooling_checks.check_pool_settings,
    ):
        assert check(None) == []


def test_server_side_cursors_under_transaction_pooling_are_refused(settings):
    _transaction_pooled(settings, DISABLE_SERVER_SIDE_CURSORS=False)
    messages = pooling_checks.check_no_server_side_cursors_under_transaction_pooling(
        None
    )
    assert _ids(messages) == ["pooling.E001"]
    assert "DISABLE_SERVER_SIDE_CURSORS" in messages[0].hint


def test_server_side_cursors_without_pooling_are_fine(settings):
    _transaction_pooled(settings, DISABLE_SERVER_SIDE_CURSORS=False)
    settings.DATABASE_POOLING = ""
    assert (
        pooling_checks.check_no_server_side_cursors_under_transaction_pooling(None)
        == []
    )


@pytest.mark.parametrize("threshold", [0, 5])
def test_prepared_statements_under_transaction_pooling_are_refused(settings, threshold):
    _transaction_pooled(settings, OPTIONS={"prepare_threshold": threshold})
    messages = pooling_checks.check_no_prepared_statements_under_transaction_pooling(
        None
    )
    assert _ids(messages) == ["pooling.E002"]
    assert "prepare_threshold" in messages[0].hint


def test_a_session_role_under_transaction_pooling_is_refused(settings):
    _transaction_pooled(
        settings, OPTIONS={"prepare_threshold": None, "assume_role": "other"}
    )
    messages = pooling_checks.check_no_session_role_under_transaction_pooling(None)
    assert _ids(messages) == ["pooling.E003"]


def test_the_pool_with_persistent_connections_is_refused(settings):
    settings.DATABASE_POOLING = "pool"
    settings.DATABASES = {
        "default": {
            "ENGINE": POSTGRESQL,
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"pool": {"max_size": 4}},
        }
    }
    messages = pooling_checks.check_pool_settings(None)
    assert _ids(messages) == ["pooling.E004"]
    assert "CONN_MAX_AGE=0" in messages[0].hint
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    assert pooling_checks.check_pool_settings(None) == []


def test_pool_mode_without_a_pool_is_refused(settings):
    settings.DATABASE_POOLING = "pool"
    settings.DATABASES = {
        "default": {"ENGINE": POSTGRESQL, "CONN_MAX_AGE": 0, "OPTIONS": {}}
    }
    assert _ids(pooling_checks.check_pool_settings(None)) == ["pooling.E005"]


@pytest.mark.slow
def test_check_deploy_reports_a_contradiction():
    from tests.config.test_production_settings import GOOD
    from tests.processes import clean_env, run_python

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'] = False; "
        "from django.core.management import call_command; "
        "call_command('check', '--deploy', '--tag', 'database')"
    )
    env = clean_env(**{**GOOD, "DATABASE_POOLING": "transaction"})
    result = run_python(code, env)
    assert "pooling.E001" in result.stderr
