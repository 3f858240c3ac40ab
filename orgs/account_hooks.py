"""How organizations take part in a user's data download and account deletion."""

from accounts.models import User
from config.errors import Conflict
from orgs import selectors, services
from orgs.models import Membership


def export_memberships(user: User) -> list[dict]:
    return [
        {
            "org": m.org.name,
            "org_id": str(m.org_id),
            "role": m.role,
            "joined_at": m.joined_at.isoformat(),
        }
        for m in selectors.memberships_for_user(user)
    ]


def before_user_delete(user: User) -> None:
    """Refuse while the user is the last owner of an org with other members;
    delete the orgs they are alone in."""
    for membership in selectors.owned_memberships_of(user):
        org = membership.org
        others = Membership.objects.filter(org=org).exclude(user=user)
        if not others.exists():
            services._delete_with_all_its_rows(org)
        elif not selectors.owners_of(org).exclude(user=user).exists():
            raise Conflict(
                f"You are the last owner of {org.name}, which has other members: "
                "transfer ownership or delete it first."
            )
