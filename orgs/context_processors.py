from orgs import selectors


def org_context(request):
    """The org switcher's list and the banners (invitations, orgs offered by
    domain), on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The user's addresses, read once for the four banners below.
    addresses = selectors.addresses_of(user)
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": getattr(request, "membership", None),
        "user_orgs": selectors.orgs_for_user(user),
        "pending_invitations": selectors.pending_invitations_for(user, addresses),
        # Accepting these by id needs the address verified first: the banner
        # says so and offers the code.
        "invitations_awaiting_verification": (
            selectors.pending_invitations_awaiting_verification_for(user, addresses)
        ),
        "domain_offers": selectors.orgs_offered_by_domain(user, addresses),
        # Joining by domain needs the address verified too: the same.
        "domain_offers_awaiting_verification": (
            selectors.domain_offers_awaiting_verification_for(user, addresses)
        ),
    }
