"""The accounts app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `ACCOUNTS_<NAME>`; `config/settings`
maps the environment variables DESIGN.md names onto them (`AUTH_DISABLED` sets
`ACCOUNTS_AUTH_DISABLED`, …). allauth's own settings (`ACCOUNT_*`, `MFA_*`, the
sign-in rate limits in `ACCOUNT_RATE_LIMITS`) stay allauth's.
"""

from django.conf import settings

DEFAULT_OAUTH_CALLBACK_PATHS = (
    "/accounts/google/login/callback/",
    "/accounts/github/login/callback/",
)


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"ACCOUNTS_{name}", default)

    @property
    def API_AUTH_FAILURE_RATE(self) -> str:
        """Failed API credentials (personal tokens, ACCESS_TOKENS, A2A JWTs) one
        client address may send, e.g. "30/10m"; past it they are answered 429."""
        return self._setting("API_AUTH_FAILURE_RATE", "30/10m")

    @property
    def AUTH_DISABLED(self) -> bool:
        """True: every request is the real user dev@local.test. Refused at startup
        unless DEBUG, and by check --deploy."""
        return bool(self._setting("AUTH_DISABLED", False))

    @property
    def DISABLE_AUTO_DEV_ACCOUNT(self) -> bool:
        """True: no throwaway dev account on the first `make run`."""
        return bool(self._setting("DISABLE_AUTO_DEV_ACCOUNT", False))

    @property
    def ACCESS_TOKENS(self) -> dict[str, str]:
        """Static bearer tokens for API clients that cannot sign in, {token: email},
        each bound to an existing user. Never a browser sign-in."""
        return self._setting("ACCESS_TOKENS", {})

    @property
    def AUTH_SKIP_EMAIL_VERIFICATION(self) -> bool:
        """True: sign-up skips email verification (QA only; check --deploy refuses
        it). The settings turn allauth's ACCOUNT_EMAIL_VERIFICATION off with it."""
        return bool(self._setting("AUTH_SKIP_EMAIL_VERIFICATION", False))

    @property
    def OAUTH_STATE_SECRET(self) -> str:
        """Signs OAuth `state` (accounts.oauth_state); "" falls back to SECRET_KEY,
        and check --deploy wants its own."""
        return self._setting("OAUTH_STATE_SECRET", "")

    @property
    def OAUTH_CALLBACK_PATHS(self) -> list[str]:
        """The only redirect URIs custom OAuth flows may hand a provider (paths on
        this origin)."""
        return list(self._setting("OAUTH_CALLBACK_PATHS", DEFAULT_OAUTH_CALLBACK_PATHS))

    @property
    def OAUTH_CIMD_ALLOWED_HOSTS(self) -> list[str]:
        """Hosts ("host" or "host:port") whose client ID metadata documents are
        fetched although they resolve to addresses that are not public or use
        another port than 443: for tests and local development only; check
        --deploy refuses it."""
        return list(self._setting("OAUTH_CIMD_ALLOWED_HOSTS", []))

    @property
    def SECRETS_ENCRYPTION_KEY(self) -> str:
        """Keys for secrets at rest, comma-separated, newest first (accounts.crypto).
        "" derives one from SECRET_KEY (local and test); production refuses to start
        without it."""
        return self._setting("SECRETS_ENCRYPTION_KEY", "")

    @property
    def KEYS_WORKSPACE_FALLBACK(self) -> bool:
        """True: `${keys.NAME}` falls back from the user's secret to the
        organization's."""
        return bool(self._setting("KEYS_WORKSPACE_FALLBACK", False))


app_settings = AppSettings()
