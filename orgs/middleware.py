"""Every request runs in its caller's Context: who, in which org, in which scope."""

from django.conf import settings
from django.db import connection, transaction

from config.context import PAGE
from orgs.context import caller_context


class CallerContextMiddleware:
    """Enter `caller_context` for the request's user (session or AUTH_DISABLED).

    Sets `request.org` / `request.membership` for pages, the request details audit
    rows read, and the user's scope in that org; anonymous requests get the details
    and no scope, so scoped tables show them nothing. Staff in Django admin run
    unscoped. API requests signed in by a token, or naming an org in `X-Org`, enter
    their own Context once DRF has authenticated them (`config.api.ApiView`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        user = request.user
        staff_in_admin = (
            user.is_authenticated
            and user.is_staff
            and request.path.startswith(self.admin_prefix)
        )
        with caller_context(
            user=user,
            caller=PAGE,
            request=request,
            unscoped_reason="Django admin" if staff_in_admin else None,
        ):
            response = self.get_response(request)
            if response.status_code == 500 and _in_the_requests_transaction():
                # Django turned the view's exception into this answer before it
                # reached here: what the view wrote before failing is undone, not
                # committed with the scope's transaction.
                transaction.set_rollback(True)
            return response


def _in_the_requests_transaction() -> bool:
    """Whether the one open transaction is the one the scope opened for this
    request (not one a caller around it opened, as a test case does)."""
    return len(connection.atomic_blocks) == 1
