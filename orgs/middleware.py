"""Which organization a request acts in: `request.org` and `request.membership`."""

from orgs.services import org_context_for


class OrgContextMiddleware:
    """Set `request.org` / `request.membership` for signed-in users (else None).

    API requests authenticated by a token are signed in only inside the API view;
    the API layer calls `org_context_for` itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = None
        if request.user.is_authenticated:
            membership = org_context_for(request.user, request=request)
        request.membership = membership
        request.org = membership.org if membership is not None else None
        return self.get_response(request)
