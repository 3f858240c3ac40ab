"""Organizations in a user's data download and account deletion."""

import pytest

from accounts import services as account_services
from accounts.selectors import user_data_export
from config.errors import Conflict
from orgs import services
from orgs.models import Membership, Organization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_download_lists_memberships(org, member):
    data = user_data_export(member)
    assert data["memberships"] == [
        {
            "org": "Acme",
            "org_id": str(org.pk),
            "role": "member",
            "joined_at": Membership.objects.get(user=member).joined_at.isoformat(),
        }
    ]


def test_the_last_owner_of_an_org_with_members_cannot_delete_their_account(
    org, owner, member
):
    with pytest.raises(Conflict, match="last owner of Acme"):
        account_services.user_delete(user=owner)
    assert Membership.objects.filter(user=owner).exists()


def test_an_owner_with_a_co_owner_can_delete_their_account(org, owner, member):
    services.member_change_role(org=org, actor=owner, member=member, role="owner")
    account_services.user_delete(user=owner)
    assert Organization.objects.filter(pk=org.pk).exists()
    assert list(Membership.objects.values_list("user__email", "role")) == [
        (member.email, "owner")
    ]


def test_orgs_the_user_is_alone_in_go_with_the_account(db):
    user = UserFactory()
    solo = services.org_create(user=user, name="Solo")
    account_services.user_delete(user=user)
    assert not Organization.objects.filter(pk=solo.pk).exists()


def test_a_member_can_delete_their_account(org, member):
    account_services.user_delete(user=member)
    assert not Membership.objects.filter(org=org, user_id=member.pk).exists()
