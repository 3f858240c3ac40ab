"""A Celery task base that runs the task in the Context of the ids it is given."""

from contextlib import ExitStack

from celery import Task

from config.context import TASK


class ScopedTask(Task):
    """Tasks with `base=ScopedTask` take `user_id` and `org_id` keyword arguments
    (and may take `issuer`: the calling app, for a task an A2A call queued).

    The task body runs in that user's Context in that org (`orgs.context`), after
    checking the user is active and still belongs to it; a task never runs as
    anyone else. `caller` is the entrance its audit rows name.
    """

    abstract = True
    caller = TASK

    def __call__(self, *args, user_id, org_id, **kwargs):
        from accounts.models import User
        from config.errors import NotFound
        from orgs.context import caller_context

        refused = PermissionError(
            f"Task {self.name}: user {user_id} is not an active member of {org_id}."
        )
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise refused
        with ExitStack() as call:
            try:
                call.enter_context(
                    caller_context(
                        user=user,
                        caller=self.caller,
                        bound_org_id=org_id,
                        issuer=kwargs.get("issuer", ""),
                    )
                )
            except NotFound:
                raise refused from None
            return super().__call__(*args, user_id=user_id, org_id=org_id, **kwargs)
