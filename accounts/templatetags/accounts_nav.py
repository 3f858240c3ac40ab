"""The account pages' sub-navigation: the site's account page and allauth's settings
pages, listing only those that exist with the current settings."""

from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# (label, URL name, other URL names that count as the same page)
PAGES = [
    ("Account", "accounts:account", ()),
    ("Email addresses", "account_email", ()),
    ("Password", "account_change_password", ("account_set_password",)),
    ("Two-factor authentication", "mfa_index", ()),
    ("Sessions", "usersessions_list", ()),
    ("Connected accounts", "socialaccount_connections", ()),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # its app is not installed
        return None


def _shown(name: str, request) -> bool:
    # Connecting accounts needs a provider to connect; with none configured the
    # page offers nothing to do.
    if name == "socialaccount_connections":
        return bool(get_social_adapter().list_providers(request))
    return True


@register.inclusion_tag("accounts/_account_nav.html", takes_context=True)
def account_nav(context) -> dict:
    """Links to the account pages; the one the request is on (or under) is current."""
    request = context["request"]
    links = []
    for label, name, aliases in PAGES:
        url = _url(name)
        if url is None or not _shown(name, request):
            continue
        prefixes = [url, *filter(None, map(_url, aliases))]
        match = max((len(p) for p in prefixes if request.path.startswith(p)), default=0)
        links.append({"label": label, "url": url, "match": match})
    # The longest matching URL is the current page: /accounts/2fa/totp/activate/
    # is under two-factor, and /account/ is not a prefix of /accounts/….
    best = max((link["match"] for link in links), default=0)
    for link in links:
        link["current"] = best > 0 and link["match"] == best
    return {"links": links}
