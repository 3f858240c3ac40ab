"""Every signed-in request runs in its user's scope; staff in the admin run unscoped."""

from django.conf import settings

from scoping.scopes import scope, unscoped


class ScopeMiddleware:
    """Enter the request's scope: its user's email and its active org.

    Runs after OrgContextMiddleware. Anonymous requests enter no scope, so scoped tables
    show them nothing. API requests authenticated by a token are scoped by the API view
    once DRF has authenticated them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if user.is_staff and request.path.startswith(self.admin_prefix):
            # Django's admin log records every change made here.
            reason = f"admin: {request.method} {request.path}"
            with unscoped(reason=reason, request=request):
                return self.get_response(request)
        org = getattr(request, "org", None)
        with scope(owner_email=user.email, org_id=org.pk if org else None):
            return self.get_response(request)
