from orgs import selectors


def org_context(request):
    """The org switcher's list and the banners (invitations, orgs offered by
    domain), on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": getattr(request, "membership", None),
        "user_orgs": selectors.orgs_for_user(user),
        "pending_invitations": selectors.pending_invitations_for(user),
        # Accepting these by id needs the address verified first: the banner
        # says so and offers the code.
        "invitations_awaiting_verification": (
            selectors.pending_invitations_awaiting_verification_for(user)
        ),
        "domain_offers": selectors.orgs_offered_by_domain(user),
        # Joining by domain needs the address verified too: the same.
        "domain_offers_awaiting_verification": (
            selectors.domain_offers_awaiting_verification_for(user)
        ),
    }
