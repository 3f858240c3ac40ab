"""Helpers for tests that act as a user in an org."""

from scoping.scopes import scope


def as_(user, org):
    """The scope a request by `user` in `org` runs in."""
    return scope(owner_email=user.email, org_id=org.pk)


def membership_of_call(user):
    """The membership a call by `user` acts through, as every entrance finds it
    (setting one up on first use)."""
    from orgs.context import caller_context

    with caller_context(user=user, caller="task") as ctx:
        return ctx.membership
