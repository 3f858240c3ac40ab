"""Account middleware: AUTH_DISABLED's stand-in user, and session activity."""

from allauth.usersessions.middleware import UserSessionsMiddleware
from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from accounts.services import auth_disabled_user

# How often a session's "last seen" time (and IP, user agent) is written.
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60


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


class SessionActivityMiddleware(UserSessionsMiddleware):
    """allauth's session tracking, written at most once a minute per session.

    allauth writes the session's row on every request, reads included; the list of
    sessions on /accounts/sessions/ needs the time to the minute at best. The cache
    says whether this session was written within the minute (one cache round trip).
    """

    def __call__(self, request):
        session_key = getattr(getattr(request, "session", None), "session_key", None)
        if session_key and not cache.add(
            f"usersessions:seen:{session_key}",
            True,
            timeout=SESSION_ACTIVITY_RESOLUTION_SECONDS,
        ):
            return self.get_response(request)  # written within the minute
        return super().__call__(request)
