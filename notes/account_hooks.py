"""How notes take part in a user's data download and account deletion.

Their private notes go with scoping's own hooks (owner_email rows); the notes they
shared are the organization's and stay with it, unsigned once their account is gone.
"""

from accounts.models import User
from notes.models import SharedNote
from scoping.scopes import unscoped


def export_shared_notes(user: User) -> list[dict]:
    """The notes the user shared, in every org."""
    with unscoped(reason=f"data export for user {user.pk}", audit=False):
        return [
            {
                "org_id": str(shared.org_id),
                "notebook": shared.notebook.name,
                "title": shared.title,
                "body": shared.body,
                "created_at": shared.created_at.isoformat(),
                "updated_at": shared.updated_at.isoformat(),
            }
            for shared in SharedNote.objects.filter(author=user).select_related(
                "notebook"
            )
        ]


def before_user_delete(user: User) -> None:
    """Unsign the user's shared notes in every org, not only the scope's: a note
    still naming the account would stop its deletion (the foreign key)."""
    with unscoped(reason=f"account deletion of user {user.pk}", audit=False):
        SharedNote.objects.filter(author=user).update(author=None)
