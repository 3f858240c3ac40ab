"""AUTH_DISABLED: a local-only mode where every request is the user dev@local.test."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.services import auth_disabled_user


class AuthDisabledMiddleware:
    """With AUTH_DISABLED on (refused unless DEBUG), every request is the dev user.

    Runs after AuthenticationMiddleware. With AUTH_DISABLED off it does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.AUTH_DISABLED:
            # auth_disabled_user() itself refuses when DEBUG is off.
            request.user = SimpleLazyObject(auth_disabled_user)
        return self.get_response(request)
