"""allauth adapters: where this template changes allauth's behaviour."""

from urllib.parse import unquote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import mfa_secrets
from accounts.identity_hub import PROVIDER_ID as IDENTITY_HUB
from accounts.services import audit_record


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


# ACCOUNT_RATE_LIMITS' name for the failed sign-ins of one account from every address.
LOGIN_FAILED_ACCOUNT = "login_failed_account"


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url: str | None) -> bool:
        # allauth also trusts other hosts in ALLOWED_HOSTS; a redirect after
        # sign-in or sign-out stays on this origin.
        return is_same_origin_path(url)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key allauth counts failed sign-ins by ("login_failed", per key): the
        account *from the client's address* (as allauth's per-IP limits see it), so
        an attacker's failures lock only the attacker out of the account."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{ratelimit.get_ip(request)}:{account}"

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's limits (per address; per address and account), then a ceiling
        per account from every address together. Counted like allauth's own: before
        the password is checked, so parallel guesses cannot all slip past, and given
        back when the sign-in succeeds (allauth rolls back the usage it keeps)."""
        super().pre_authenticate(request, **credentials)
        usage = ratelimit.consume(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_ACCOUNT,
            key=super()._get_login_attempts_cache_key(request, **credentials),
        )
        if not usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        self._login_failed_rl_usage.usage.extend(usage.usage)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP keys and recovery-code seeds are stored encrypted (allauth's default
    stores them in the clear)."""

    def encrypt(self, text: str) -> str:
        return mfa_secrets.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secrets.unseal(encrypted_text)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """A new user's name from the provider (allauth fills first and last
        names, which this user model does not have)."""
        user = super().populate_user(request, sociallogin, data)
        user.name = (data.get("name") or "")[: user._meta.get_field("name").max_length]
        return user

    def pre_social_login(self, request, sociallogin):
        """Through the identity hub, a user is signed in only if they own the
        address the hub vouched for, verified, here too: an account that never
        verified it may be someone else's claim on it (allauth would sign in
        and wipe its password), and an account linked earlier may have removed
        it since."""
        if sociallogin.account.provider != IDENTITY_HUB or not sociallogin.is_existing:
            return
        email = sociallogin.account.uid
        if not EmailAddress.objects.filter(
            user=sociallogin.user, email__iexact=email, verified=True
        ).exists():
            from accounts.identity_hub.views import refused

            raise ImmediateHttpResponse(
                refused(
                    request,
                    title="Sign in with your password",
                    message=(
                        f"{email} is not a verified address of an account here. "
                        "Sign in with your password, verify the address on your "
                        "account page, then sign in through the hub again."
                    ),
                    email=email,
                )
            )

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """A failed social sign-in, in the audit log; through the hub, on a page
        that says why (HubRefusal's message) or that it did not complete."""
        from accounts.identity_hub.views import HubRefusal, refused

        if provider.id == IDENTITY_HUB:
            raise ImmediateHttpResponse(
                refused(
                    request,
                    title=f"Sign-in through {provider.name} failed",
                    message=(
                        str(exception)
                        if isinstance(exception, HubRefusal)
                        else "The sign-in did not complete. Start it again."
                    ),
                )
            )
        audit_record(
            action="auth.sign_in_failed",
            metadata={
                "provider": provider.id,
                "error": str(error or ""),
                "reason": type(exception).__name__ if exception is not None else "",
            },
        )
