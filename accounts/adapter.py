"""allauth adapters: where this template changes allauth's behaviour."""

from urllib.parse import unquote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import mfa_secrets


def is_same_origin_path(url: str | None) -> bool:
    """Whether `url` is a path on this site: no scheme, no host, no tricks.

    Refuses `//host`, `\\\\host`, `/\\host`, `https://good@evil`, `javascript:`
    and anything with control characters (CR/LF header injection).
    """
    if not url:
        return False
    # Checked as given and once decoded: "/%0d%0a…" and "/%2f%2fhost" are refused too.
    for form in (url, unquote(url)):
        if not form.startswith("/") or form.startswith(("//", "/\\")):
            return False
        if any(ord(char) < 32 or ord(char) == 127 for char in form):
            return False
    # No allowed hosts: only a URL without a host passes.
    return url_has_allowed_host_and_scheme(url, allowed_hosts=set())


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url: str | None) -> bool:
        # allauth also trusts other hosts in ALLOWED_HOSTS; a redirect after
        # sign-in or sign-out stays on this origin.
        return is_same_origin_path(url)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP keys and recovery-code seeds are stored encrypted (allauth's default
    stores them in the clear)."""

    def encrypt(self, text: str) -> str:
        return mfa_secrets.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secrets.unseal(encrypted_text)
