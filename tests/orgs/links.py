import re


def link_in(message) -> str:
    """The invitation secret in an invitation email's link."""
    return re.search(r"http://\S+/invitations/(inv_[A-Za-z0-9_-]+)/", message.body)[1]
