"""The suite connects as an ordinary role, so row level security really applies."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_connected_role_is_neither_superuser_nor_bypassrls():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False)


def test_the_deploy_check_passes_for_this_ordinary_role():
    from scoping import checks

    assert checks.check_role_does_not_skip_policies(None) == []


def test_a_superuser_connection_is_recognised():
    """The same database, as the local `postgres` superuser: the probe says so."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    from scoping.engines.postgresql import role_skips_policies

    superuser = DatabaseWrapper({**connection.settings_dict, "USER": "postgres"})
    try:
        assert role_skips_policies(superuser) is True
    finally:
        superuser.close()
