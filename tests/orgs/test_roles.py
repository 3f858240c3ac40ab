"""Each role and each operation: who may, who may not; a refusal changes nothing."""

import pytest

from config.errors import ApplicationError, NotFound, PermissionDenied
from orgs import services
from orgs.models import DomainClaim, Invitation, Membership, Organization, Role
from tests.factories import member_of

pytestmark = pytest.mark.django_db

ROLES = ["owner", "admin", "member", "outsider"]


@pytest.fixture
def actors(org, owner, admin, member, outsider):
    return {"owner": owner, "admin": admin, "member": member, "outsider": outsider}


@pytest.fixture
def target_member(org):
    return member_of(org, email="target@acme.test", role=Role.MEMBER)


@pytest.fixture
def second_owner(org):
    return member_of(org, email="owner2@acme.test", role=Role.OWNER)


def _expect(allowed_roles, role, operation, unchanged):
    """Run `operation`; allowed roles succeed, others are refused with no change."""
    before = unchanged()
    if role in allowed_roles:
        operation()
        return
    expected = NotFound if role == "outsider" else PermissionDenied
    with pytest.raises(expected):
        operation()
    assert unchanged() == before


def _org_state(org):
    return lambda: (
        Organization.objects.filter(pk=org.pk).values_list("name").first(),
        list(DomainClaim.objects.filter(org=org).values_list("domain", "status")),
        sorted(Membership.objects.filter(org=org).values_list("user__email", "role")),
        sorted(Invitation.objects.filter(org=org).values_list("email", "status")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_rename(org, actors, role):
    _expect(
        {"owner", "admin"},
        role,
        lambda: services.org_rename(org=org, actor=actors[role], name="Renamed"),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ROLES)
def test_delete(org, actors, role):
    _expect(
        {"owner"},
        role,
        lambda: services.org_delete(org=org, actor=actors[role], confirm_name="Acme"),
        _org_state(org),
    )


def test_delete_needs_the_name_typed(org, owner):
    with pytest.raises(ApplicationError):
        services.org_delete(org=org, actor=owner, confirm_name="acme")
    assert Organization.objects.filter(pk=org.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_invite(org, actors, role, celery_eager):
    _expect(
        {"owner", "admin"},
        role,
        lambda: services.invitation_create(
            org=org, actor=actors[role], email="n@x.test"
        ),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", ["resend", "revoke"])
def test_resend_and_revoke(org, owner, actors, role, operation, celery_eager):
    invitation = services.invitation_create(org=org, actor=owner, email="n@x.test")
    change = getattr(services, f"invitation_{operation}")
    _expect(
        {"owner", "admin"},
        role,
        lambda: change(invitation=invitation, actor=actors[role]),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ROLES)
def test_remove_a_member(org, actors, role, target_member):
    _expect(
        {"owner", "admin"},
        role,
        lambda: services.member_remove(
            org=org, actor=actors[role], member=target_member
        ),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ROLES)
def test_remove_an_owner(org, actors, role, second_owner):
    _expect(
        {"owner"},
        role,
        lambda: services.member_remove(
            org=org, actor=actors[role], member=second_owner
        ),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("new_role", ["admin", "member", "owner"])
def test_change_role(org, actors, role, target_member, new_role):
    _expect(
        {"owner"},
        role,
        lambda: services.member_change_role(
            org=org, actor=actors[role], member=target_member, role=new_role
        ),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
def test_nobody_changes_their_own_role(org, actors, role):
    _expect(
        set(),
        role,
        lambda: services.member_change_role(
            org=org, actor=actors[role], member=actors[role], role="owner"
        ),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ROLES)
def test_transfer_ownership(org, actors, role, target_member):
    _expect(
        {"owner"},
        role,
        lambda: services.ownership_transfer(
            org=org, actor=actors[role], new_owner=target_member
        ),
        _org_state(org),
    )


def test_transfer_makes_the_old_owner_an_admin(org, owner, target_member):
    services.ownership_transfer(org=org, actor=owner, new_owner=target_member)
    roles = dict(Membership.objects.filter(org=org).values_list("user__email", "role"))
    assert roles[target_member.email] == "owner"
    assert roles[owner.email] == "admin"


@pytest.mark.parametrize("role", ROLES)
def test_set_allowed_domain(org, actors, role):
    _expect(
        {"owner", "admin"},
        role,
        lambda: services.org_set_allowed_domain(
            org=org, actor=actors[role], domain="acme.test"
        ),
        _org_state(org),
    )


@pytest.mark.parametrize("role", ROLES)
def test_check_domain(org, owner, actors, role):
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    _expect(
        {"owner", "admin"},
        role,
        lambda: services.domain_claim_request_check(org=org, actor=actors[role]),
        lambda: list(
            DomainClaim.objects.filter(org=org).values_list("status", "check_outcome")
        ),
    )


@pytest.mark.parametrize("role", ["admin", "member"])
def test_anyone_but_the_last_owner_can_leave(org, actors, role):
    services.member_leave(org=org, user=actors[role])
    assert not Membership.objects.filter(org=org, user=actors[role]).exists()


def test_the_last_owner_cannot_leave(org, owner):
    from config.errors import Conflict

    with pytest.raises(Conflict):
        services.member_leave(org=org, user=owner)
    assert Membership.objects.get(org=org, user=owner).role == "owner"


def test_an_owner_can_leave_when_another_owner_remains(org, owner, second_owner):
    services.member_leave(org=org, user=owner)
    assert list(Membership.objects.filter(org=org).values_list("role", flat=True)) == [
        "owner"
    ]


def test_an_admin_cannot_remove_themselves_by_removal(org, admin):
    with pytest.raises(ApplicationError):
        services.member_remove(org=org, actor=admin, member=admin)


def test_the_last_owner_cannot_be_demoted_or_removed_by_themselves(org, owner):
    with pytest.raises(ApplicationError):
        services.member_change_role(org=org, actor=owner, member=owner, role="member")
    with pytest.raises(ApplicationError):
        services.member_remove(org=org, actor=owner, member=owner)
    assert Membership.objects.get(org=org, user=owner).role == "owner"


@pytest.mark.parametrize(
    ("role", "least", "expected"),
    [
        ("owner", "owner", True),
        ("owner", "admin", True),
        ("owner", "member", True),
        ("admin", "owner", False),
        ("admin", "admin", True),
        ("admin", "member", True),
        ("member", "owner", False),
        ("member", "admin", False),
        ("member", "member", True),
    ],
)
def test_roles_rank_in_one_place(role, least, expected):
    assert Role(role).at_least(least) is expected
    assert Membership(role=role).has_role(Role(least)) is expected
