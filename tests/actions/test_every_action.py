"""Every shipped action, over HTTP: 401 without identity, 400 on bad input with
nothing written, success for a permitted caller, 403 for a role that may not.

The framework's actions and the test app's are here; an app's own are in
`tests/<app>/action_cases.py` (see tests/actions/every_action.py)."""

import pytest
from django.utils import timezone

from accounts.secrets import secret_set
from actions import registry
from orgs import services as org_services
from orgs.models import DomainClaim
from tests.actions.every_action import (
    Case,
    action_tests,
    app_cases,
    framework_state,
    mcp_tests,
)

pytestmark = pytest.mark.django_db


def _dev_user_with_a_memo(world):
    """dev@local.test (AUTH_DISABLED's user), with a memo in an org of its own."""
    from accounts.services import AUTH_DISABLED_EMAIL, verified_user_create
    from scoping.scopes import scope
    from tests.testapp.services import memo_create

    dev = verified_user_create(email=AUTH_DISABLED_EMAIL)
    org = org_services.org_create(user=dev, name="Dev")
    with scope(owner_email=dev.email, org_id=org.pk):
        memo_create(title="made locally")


def _invite(world, email):
    return org_services.invitation_create(
        org=world.acme, actor=world.alice, email=email
    )


def _invite_dave(world):
    return _invite(world, "dave@nowhere.test")


def _acme_proved_nowhere_test(world):
    """Acme has proved nowhere.test, dave's domain (as if DNS had said so)."""
    DomainClaim.objects.create(
        org=world.acme,
        domain="nowhere.test",
        token="t",
        status="verified",
        verified_at=timezone.now(),
    )


CASES = [
    # memos (private) and folders (shared by the org)
    Case(
        "list-memos",
        "alice",
        lambda w: {},
        lambda w, r: [n["title"] for n in r] == ["alice's memo"],
        invalid={"limit": "0"},
        invalid_field="limit",
        forbidden="dave",
    ),
    Case(
        "get-memo",
        "alice",
        lambda w: {"id": w.alice_memo.pk},
        lambda w, r: r["title"] == "alice's memo",
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "create-memo",
        "alice",
        lambda w: {"title": "new", "body": "<i>b</i>"},
        lambda w, r: r["title"] == "new" and r["owner_email"] == "alice@acme.test",
        invalid={"title": ""},
        invalid_field="title",
        forbidden="dave",
    ),
    Case(
        "update-memo",
        "alice",
        lambda w: {"id": w.alice_memo.pk, "title": "changed"},
        lambda w, r: r["title"] == "changed",
        invalid={"id": 1, "title": ""},
        invalid_field="title",
        forbidden="dave",
    ),
    Case(
        "delete-memo",
        "alice",
        lambda w: {"id": w.alice_memo.pk},
        lambda w, r: r == {"id": w.alice_memo.pk, "deleted": True},
        invalid={"id": -1},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "list-folders",
        "carol",
        lambda w: {},
        lambda w, r: [b["name"] for b in r] == ["Acme folder"],
        forbidden="dave",
    ),
    Case(
        "get-folder",
        "carol",
        lambda w: {"id": w.acme_folder.pk},
        lambda w, r: r["name"] == "Acme folder",
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "create-folder",
        "carol",
        lambda w: {"name": "Plans"},
        lambda w, r: r["name"] == "Plans",
        invalid={"name": ""},
        invalid_field="name",
        forbidden="dave",
    ),
    Case(
        "update-folder",
        "carol",
        lambda w: {"id": w.acme_folder.pk, "name": "Ideas"},
        lambda w, r: r["name"] == "Ideas",
        invalid={"id": 1, "name": ""},
        invalid_field="name",
        forbidden="dave",
    ),
    Case(
        "delete-folder",
        "erin",
        lambda w: {"id": w.acme_folder.pk},
        lambda w, r: r["deleted"] is True,
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="carol",
    ),
    # organizations
    Case(
        "list-orgs",
        "carol",
        lambda w: {},
        lambda w, r: [m["org"]["name"] for m in r] == ["Acme"],
    ),
    Case(
        "create-org",
        "dave",
        lambda w: {"name": "Dave Co"},
        lambda w, r: r["name"] == "Dave Co",
        invalid={"name": ""},
        invalid_field="name",
    ),
    Case(
        "rename-org",
        "erin",
        lambda w: {"name": "Acme Corp"},
        lambda w, r: r["name"] == "Acme Corp",
        invalid={"name": ""},
        invalid_field="name",
        forbidden="carol",
    ),
    Case(
        "delete-org",
        "alice",
        lambda w: {"confirm_name": "Acme"},
        lambda w, r: r == {"done": True},
        invalid={"confirm_name": ""},
        invalid_field="confirm_name",
        forbidden="erin",
    ),
    Case(
        "switch-org",
        "carol",
        lambda w: {"org": str(w.acme.pk)},
        lambda w, r: r["name"] == "Acme",
        invalid={"org": "not-a-uuid"},
        invalid_field="org",
    ),
    Case(
        "list-members",
        "carol",
        lambda w: {},
        lambda w, r: {m["email"] for m in r} >= {"alice@acme.test", "carol@acme.test"},
        forbidden="dave",
    ),
    Case(
        "invite-member",
        "erin",
        lambda w: {"email": "new@x.test", "role": "admin"},
        lambda w, r: r["email"] == "new@x.test" and r["role"] == "admin",
        invalid={"email": "not-an-address"},
        invalid_field="email",
        forbidden="carol",
    ),
    Case(
        "resend-invitation",
        "erin",
        lambda w: {"invitation": _invite(w, "n@x.test").pk},
        lambda w, r: r["status"] == "pending",
        invalid={"invitation": 0},
        invalid_field="invitation",
        forbidden="carol",
    ),
    Case(
        "revoke-invitation",
        "erin",
        lambda w: {"invitation": _invite(w, "n@x.test").pk},
        lambda w, r: r["status"] == "revoked",
        invalid={"invitation": "x"},
        invalid_field="invitation",
        forbidden="carol",
    ),
    Case(
        "accept-invitation",
        "dave",
        lambda w: {"invitation": _invite_dave(w).pk},
        lambda w, r: r["org"]["name"] == "Acme" and r["role"] == "member",
        invalid={"invitation": "x"},
        invalid_field="invitation",
    ),
    Case(
        "decline-invitation",
        "dave",
        lambda w: {"invitation": _invite_dave(w).pk},
        lambda w, r: r["status"] == "declined",
        invalid={},
        invalid_field="invitation",
    ),
    Case(
        "remove-member",
        "erin",
        lambda w: {"email": "carol@acme.test"},
        lambda w, r: r == {"done": True},
        invalid={"email": "x"},
        invalid_field="email",
        forbidden="carol",
    ),
    Case(
        "change-member-role",
        "alice",
        lambda w: {"email": "carol@acme.test", "role": "admin"},
        lambda w, r: r["role"] == "admin",
        invalid={"email": "carol@acme.test", "role": "king"},
        invalid_field="role",
        forbidden="erin",
    ),
    Case(
        "transfer-ownership",
        "alice",
        lambda w: {"email": "carol@acme.test"},
        lambda w, r: r["email"] == "carol@acme.test" and r["role"] == "owner",
        invalid={"email": "x"},
        invalid_field="email",
        forbidden="erin",
    ),
    Case(
        "leave-org",
        "carol",
        lambda w: {},
        lambda w, r: r == {"done": True},
        invalid=[],
        forbidden="dave",
    ),
    Case(
        "set-allowed-domain",
        "alice",
        lambda w: {"domain": "acme.test"},
        lambda w, r: (
            (r["domain"], r["status"], r["txt_name"])
            == ("acme.test", "pending", "_org-verification.acme.test")
            and r["txt_value"].startswith("org-verification-")
        ),
        invalid={"domain": "x" * 300},
        invalid_field="domain",
        forbidden="carol",
    ),
    Case(
        "check-domain",
        "alice",
        lambda w: {},
        lambda w, r: (r["domain"], r["status"]) == ("acme.test", "pending"),
        forbidden="carol",
        setup=lambda w: org_services.org_set_allowed_domain(
            org=w.acme, actor=w.alice, domain="acme.test"
        ),
    ),
    Case(
        "join-by-domain",
        "dave",
        lambda w: {},
        lambda w, r: (r["org"]["name"], r["role"]) == ("Acme", "member"),
        invalid={"org": "not-a-uuid"},
        invalid_field="org",
        setup=_acme_proved_nowhere_test,
    ),
    # secrets (names and masked tails only)
    Case(
        "set-secret",
        "alice",
        lambda w: {"name": "OPENAI", "value": "sk-1234567890"},
        lambda w, r: r["masked"] == "••••7890" and "value" not in r,
        invalid={"name": "bad name!", "value": "x"},
        invalid_field="name",
    ),
    Case("list-secrets", "alice", lambda w: {}, lambda w, r: r == []),
    Case(
        "delete-secret",
        "alice",
        lambda w: {"name": "K"},
        lambda w, r: r == {"deleted": True},
        invalid={"name": "K", "scope": "planet"},
        invalid_field="scope",
        setup=lambda w: secret_set(user=w.alice, org=w.acme, name="K", value="v-123"),
    ),
    # local development: take over dev@local.test's data
    Case(
        "claim-local-data",
        "alice",
        lambda w: {"email": "dev@local.test"},
        lambda w, r: (
            r["source"] == "dev@local.test" and r["moved"] == {"testapp_memo": 1}
        ),
        invalid={"email": "not an address"},
        invalid_field="email",
        setup=_dev_user_with_a_memo,
        debug=True,
    ),
    # agent SQL
    Case(
        "db-query",
        "alice",
        lambda w: {"sql": "SELECT title FROM testapp_memo"},
        lambda w, r: (
            r == {"columns": ["title"], "rows": [["alice's memo"]], "truncated": False}
        ),
        invalid={"sql": ""},
        invalid_field="sql",
        forbidden="dave",
    ),
    Case(
        "db-exec",
        "alice",
        lambda w: {"sql": "UPDATE testapp_memo SET title = ?", "params": ["via sql"]},
        lambda w, r: r == {"rowcount": 1},
        invalid={"sql": "", "params": []},
        invalid_field="sql",
        forbidden="dave",
    ),
]


def test_every_registered_action_has_a_case():
    names = [case.name for case in CASES + app_cases()]
    assert sorted(names) == sorted(a.name for a in registry.all_actions())


(
    test_without_identity_401,
    test_permitted_call_succeeds,
    test_invalid_input_400_with_field_errors_and_nothing_written,
    test_forbidden_role_403_and_nothing_written,
) = action_tests(CASES, state=framework_state)
test_permitted_tool_call_fits_its_output_schema = mcp_tests(CASES)


def test_actions_without_a_role_requirement_say_so():
    """These need a signed-in user but no role, so no role is refused (see CASES)."""
    free = {c.name for c in CASES + app_cases() if c.forbidden is None}
    assert free == {a.name for a in registry.all_actions() if a.org_role is None}
