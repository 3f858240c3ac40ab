"""Personal tokens that bring the caller's org along, in the token's one query."""

from django.db.models import OuterRef, Subquery

from accounts.authentication import ApiTokenAuthentication
from accounts.models import ApiToken
from orgs.models import Membership


class ApiTokenWithOrgAuthentication(ApiTokenAuthentication):
    """`Authorization: Bearer pat_…`: the token, its user, the user's active org and
    their membership in it, in one query (not two: the token, then the org).

    The membership is what `orgs.services.org_context_for` finds first; when there
    is none (a user's first request), the API asks it, which sets one up.
    """

    def tokens(self):
        active = Membership.objects.filter(
            user=OuterRef("user"), org=OuterRef("user__active_org__org")
        )
        return ApiToken.objects.select_related("user__active_org__org").annotate(
            membership_id=Subquery(active.values("pk")[:1]),
            membership_role=Subquery(active.values("role")[:1]),
            membership_joined_at=Subquery(active.values("joined_at")[:1]),
        )

    def found(self, request, token) -> None:
        if token.membership_id is None:
            return
        user, org = token.user, token.user.active_org.org
        membership = Membership.from_db(
            ApiToken.objects.db,
            ["id", "org_id", "user_id", "role", "joined_at"],
            [
                token.membership_id,
                org.pk,
                user.pk,
                token.membership_role,
                token.membership_joined_at,
            ],
        )
        membership.org, membership.user = org, user
        request._request.membership = membership
