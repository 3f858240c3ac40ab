"""db_check_scoping lists user-facing tables no scope column protects."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from scoping import checks
from scoping.scopes import unscoped

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tables():
    """A table with no scope column, and one with owner_email only."""
    with unscoped(reason="test", schema_changes=True), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE shop_orders (id integer PRIMARY KEY, total int)")
        cursor.execute(
            "CREATE TABLE shop_carts (id integer PRIMARY KEY, owner_email text)"
        )
    yield
    with unscoped(reason="test", schema_changes=True), connection.cursor() as cursor:
        cursor.execute("DROP TABLE shop_orders")
        cursor.execute("DROP TABLE shop_carts")


def _run(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("db_check_scoping", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_the_template_itself_passes():
    assert _run() == (0, "Every user-facing table is scoped.\n")
    assert _run("--require-org")[0] == 0


def test_a_table_without_scope_columns_is_listed(tables):
    code, output = _run()
    assert code == 1
    assert output == "shop_orders: not scoped\n"


def test_require_org_also_lists_tables_without_org_id(tables):
    code, output = _run("--require-org", "--format", "json")
    assert code == 1
    assert json.loads(output) == {"unscoped_tables": ["shop_carts", "shop_orders"]}


def test_declared_shared_tables_are_skipped(tables, settings):
    settings.SCOPING_UNSCOPED_TABLES = ["shop_orders"]
    assert _run()[0] == 0


def test_check_deploy_reports_them(tables):
    ids = {m.id for m in checks.check_user_facing_tables_are_scoped(None)}
    assert ids == {"scoping.E002"}
