"""Where the authorization server's pages may send a form: browsers apply a page's
`form-action` to every redirect after its POST, so a sign-in or consent that ends
at a client's redirect URI needs that client's origin there."""

from urllib.parse import urlparse

from django.conf import settings
from django.utils.csp import CSP

from accounts.oauth import selectors

# allauth's pages: sign-in, two-factor, reauthentication, sign-up, codes.
ACCOUNT_PAGES = "/accounts/"


def origin_of(uri: str) -> str:
    """The CSP source for `uri`'s origin (a native app's scheme: the scheme)."""
    parsed = urlparse(uri)
    if parsed.scheme in ("http", "https"):
        return f"{parsed.scheme}://{parsed.netloc}"
    return f"{parsed.scheme}:"


def with_form_action(response, uris) -> None:
    """Let the page in `response` send forms to the origins of `uris` too."""
    policy = dict(getattr(response, "_csp_config", None) or settings.SECURE_CSP)
    current = list(policy.get("form-action", [CSP.SELF]))
    added = [origin for origin in map(origin_of, uris) if origin not in current]
    policy["form-action"] = [*current, *added]
    response._csp_config = policy


class SignInClientFormActionMiddleware:
    """On allauth's pages: a sign-in that began at a sign-in client (the team's
    other apps) ends, after the password or the second factor is posted, with a
    redirect back to that app, which the page's CSP must allow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ACCOUNT_PAGES) and response.get(
            "Content-Type", ""
        ).startswith("text/html"):
            uris = [
                uri
                for client in selectors.sign_in_clients()
                for uri in client.get_redirect_uris()
            ]
            if uris:
                with_form_action(response, uris)
        return response
