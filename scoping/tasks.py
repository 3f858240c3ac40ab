"""A Celery task base that runs the task in the scope of the ids it is given."""

from celery import Task

from scoping.scopes import scope


class ScopedTask(Task):
    """Tasks with `base=ScopedTask` take `user_id` and `org_id` keyword arguments.

    The task body runs inside that user's scope in that org, after checking the user
    still belongs to it; a task never runs as anyone else.
    """

    abstract = True

    def __call__(self, *args, user_id, org_id, **kwargs):
        from accounts.models import User
        from orgs.models import Membership

        user = User.objects.filter(pk=user_id, is_active=True).first()
        if (
            user is None
            or not Membership.objects.filter(user=user, org_id=org_id).exists()
        ):
            raise PermissionError(
                f"Task {self.name}: user {user_id} is not an active member of {org_id}."
            )
        with scope(owner_email=user.email, org_id=org_id):
            return super().__call__(*args, user_id=user_id, org_id=org_id, **kwargs)
