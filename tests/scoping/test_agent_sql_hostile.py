"""Every statement of the hostile corpus is refused, says why, and changes nothing."""

import pytest

from accounts.models import User
from orgs.models import Membership
from scoping import agent_sql
from scoping.agent_sql import Refused
from scoping.scopes import unscoped
from tests.scopes import as_
from tests.scoping import hostile_sql
from tests.testapp.models import Folder, Memo

pytestmark = pytest.mark.django_db


def everything() -> dict:
    """What an attack would want to change, read past every scope."""
    with unscoped(reason="test: the state an attack would change"):
        return {
            "memos": sorted(
                Memo.objects.values_list("id", "title", "owner_email", "org_id")
            ),
            "folders": sorted(Folder.objects.values_list("id", "name", "org_id")),
            "users": sorted(
                User.objects.values_list(
                    "email", "password", "is_superuser", "is_staff"
                )
            ),
            "memberships": sorted(
                Membership.objects.values_list("user__email", "org_id", "role")
            ),
        }


def test_the_corpus_has_at_least_150_statements():
    assert len(hostile_sql.QUERIES) + len(hostile_sql.WRITES) >= 150
    assert len(set(hostile_sql.QUERIES)) == len(hostile_sql.QUERIES)
    assert len(set(hostile_sql.WRITES)) == len(hostile_sql.WRITES)


CORPUS = [("query", sql) for sql in hostile_sql.QUERIES] + [
    ("exec", sql) for sql in hostile_sql.WRITES
]


def run(kind: str, sql: str):
    """Run `sql` as db-query ("query") or db-exec ("exec") would."""
    return (agent_sql.run_query if kind == "query" else agent_sql.run_exec)(sql)


@pytest.mark.parametrize(("kind", "sql"), CORPUS)
def test_hostile_statements_are_refused_say_why_and_change_nothing(world, kind, sql):
    before = everything()
    with as_(world.alice, world.acme), pytest.raises(Refused) as refused:
        run(kind, sql)
    assert refused.value.message
    assert everything() == before
