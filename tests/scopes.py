"""Helpers for tests that act as a user in an org."""

from scoping.scopes import scope


def as_(user, org):
    """The scope a request by `user` in `org` runs in."""
    return scope(owner_email=user.email, org_id=org.pk)
