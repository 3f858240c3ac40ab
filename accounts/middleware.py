"""Account middleware: AUTH_DISABLED's stand-in user, session activity, and account
pages kept out of caches."""

from allauth.usersessions.middleware import UserSessionsMiddleware
from django.core.cache import cache
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from accounts.app_settings import app_settings
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
        if app_settings.AUTH_DISABLED:
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


class AccountPagesNoStoreMiddleware:
    """Account pages are answered `Cache-Control: no-store` (and the rest of Django's
    never-cache headers): sign-in, MFA, sessions, email addresses, API tokens, the
    data download and deletion pages, none of them kept by a browser or a proxy.

    Account pages are the views of allauth (under /accounts/) and of this app
    (/account/), told by the module of the view that answered, wherever it is
    mounted.
    """

    VIEW_MODULES = ("allauth.", "accounts.")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.func.__module__.startswith(self.VIEW_MODULES):
            add_never_cache_headers(response)
        return response
