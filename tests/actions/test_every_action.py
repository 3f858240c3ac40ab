"""Every shipped action, over HTTP: 401 without identity, 400 on bad input with
nothing written, success for a permitted caller, 403 for a role that may not."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from accounts.secrets import secret_set
from actions import registry
from notes.models import Note, Notebook
from orgs import services as org_services
from orgs.models import DomainClaim, Invitation, Membership, Organization
from scoping.scopes import unscoped
from tests.actions.conftest import call

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    name: str
    caller: str  # who may: a user of the world (alice owns Acme, carol is a member…)
    valid: Callable  # world -> input
    succeeded: Callable  # (world, result) -> bool
    invalid: object = None  # an input that fails validation; None: nothing to fail
    invalid_field: str = "non_field_errors"
    forbidden: str | None = None  # a caller whose role may not; None: no role needed
    setup: Callable = field(default=lambda world: None)
    debug: bool = False  # an action for local development: runs with DEBUG on


@pytest.fixture(autouse=True)
def _local_development(request, settings):
    """Local-development actions refuse without DEBUG (tests/accounts checks that)."""
    callspec = getattr(request.node, "callspec", None)
    case = callspec.params.get("case") if callspec else None
    if case is not None and case.debug:
        settings.DEBUG = True


def _dev_user_with_a_note(world):
    """dev@local.test (AUTH_DISABLED's user), with a note in an org of its own."""
    from accounts.services import AUTH_DISABLED_EMAIL, verified_user_create
    from notes.services import note_create
    from scoping.scopes import scope

    dev = verified_user_create(email=AUTH_DISABLED_EMAIL)
    org = org_services.org_create(user=dev, name="Dev")
    with scope(owner_email=dev.email, org_id=org.pk):
        note_create(title="made locally")


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
    # notes (private) and notebooks (shared by the org)
    Case(
        "list-notes",
        "alice",
        lambda w: {},
        lambda w, r: [n["title"] for n in r] == ["alice's note"],
        invalid={"limit": "0"},
        invalid_field="limit",
        forbidden="dave",
    ),
    Case(
        "get-note",
        "alice",
        lambda w: {"id": w.alice_note.pk},
        lambda w, r: r["title"] == "alice's note",
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "create-note",
        "alice",
        lambda w: {"title": "new", "body": "<i>b</i>"},
        lambda w, r: r["title"] == "new" and r["owner_email"] == "alice@acme.test",
        invalid={"title": ""},
        invalid_field="title",
        forbidden="dave",
    ),
    Case(
        "update-note",
        "alice",
        lambda w: {"id": w.alice_note.pk, "title": "changed"},
        lambda w, r: r["title"] == "changed",
        invalid={"id": 1, "title": ""},
        invalid_field="title",
        forbidden="dave",
    ),
    Case(
        "delete-note",
        "alice",
        lambda w: {"id": w.alice_note.pk},
        lambda w, r: r == {"id": w.alice_note.pk, "deleted": True},
        invalid={"id": -1},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "list-notebooks",
        "carol",
        lambda w: {},
        lambda w, r: [b["name"] for b in r] == ["Acme book"],
        forbidden="dave",
    ),
    Case(
        "get-notebook",
        "carol",
        lambda w: {"id": w.acme_book.pk},
        lambda w, r: r["name"] == "Acme book",
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "create-notebook",
        "carol",
        lambda w: {"name": "Plans"},
        lambda w, r: r["name"] == "Plans",
        invalid={"name": ""},
        invalid_field="name",
        forbidden="dave",
    ),
    Case(
        "update-notebook",
        "carol",
        lambda w: {"id": w.acme_book.pk, "name": "Ideas"},
        lambda w, r: r["name"] == "Ideas",
        invalid={"id": 1, "name": ""},
        invalid_field="name",
        forbidden="dave",
    ),
    Case(
        "delete-notebook",
        "erin",
        lambda w: {"id": w.acme_book.pk},
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
            r["source"] == "dev@local.test" and r["moved"] == {"notes_note": 1}
        ),
        invalid={"email": "not an address"},
        invalid_field="email",
        setup=_dev_user_with_a_note,
        debug=True,
    ),
    # agent SQL
    Case(
        "db-query",
        "alice",
        lambda w: {"sql": "SELECT title FROM notes_note"},
        lambda w, r: (
            r == {"columns": ["title"], "rows": [["alice's note"]], "truncated": False}
        ),
        invalid={"sql": ""},
        invalid_field="sql",
        forbidden="dave",
    ),
    Case(
        "db-exec",
        "alice",
        lambda w: {"sql": "UPDATE notes_note SET title = ?", "params": ["via sql"]},
        lambda w, r: r == {"rowcount": 1},
        invalid={"sql": "", "params": []},
        invalid_field="sql",
        forbidden="dave",
    ),
]


def test_every_registered_action_has_a_case():
    assert {case.name for case in CASES} == {a.name for a in registry.all_actions()}


def _state():
    """Everything an action could change, read unscoped."""
    with unscoped(reason="test: compare state"):
        return (
            sorted(Note.objects.values_list("id", "title", "body", "notebook_id")),
            sorted(Notebook.objects.values_list("id", "name")),
            sorted(Organization.objects.values_list("name", flat=True)),
            sorted(DomainClaim.objects.values_list("domain", "status")),
            sorted(Membership.objects.values_list("user__email", "role")),
            sorted(Invitation.objects.values_list("email", "status")),
        )


def _users(world, erin, dave):
    return {
        "alice": world.alice,
        "bob": world.bob,
        "carol": world.carol,
        "erin": erin,
        "dave": dave,
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_without_identity_401(world, case):
    data = case.valid(world)
    before = _state()
    response = call(None, case.name, data)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert _state() == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permitted_call_succeeds(world, erin, dave, case):
    case.setup(world)
    response = call(
        _users(world, erin, dave)[case.caller], case.name, case.valid(world)
    )
    assert response.status_code == 200, response.content
    assert case.succeeded(world, response.json()), response.json()


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.invalid is not None], ids=lambda c: c.name
)
def test_invalid_input_400_with_field_errors_and_nothing_written(
    world, erin, dave, case
):
    case.setup(world)
    user = _users(world, erin, dave)[case.caller]
    before = _state()
    response = call(user, case.name, case.invalid)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"][case.invalid_field]
    assert _state() == before


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.forbidden is not None], ids=lambda c: c.name
)
def test_forbidden_role_403_and_nothing_written(world, erin, dave, case):
    case.setup(world)
    data = case.valid(world)
    before = _state()
    response = call(_users(world, erin, dave)[case.forbidden], case.name, data)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "permission_denied"
    assert _state() == before


def test_actions_without_a_role_requirement_say_so():
    """These need a signed-in user but no role, so no role is refused (see CASES)."""
    free = {c.name for c in CASES if c.forbidden is None}
    assert free == {a.name for a in registry.all_actions() if a.org_role is None}
