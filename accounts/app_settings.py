"""The accounts app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `ACCOUNTS_<NAME>`. (The sign-in rate
limits are allauth's: `ACCOUNT_RATE_LIMITS` in the settings.)
"""

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"ACCOUNTS_{name}", default)

    @property
    def API_AUTH_FAILURE_RATE(self) -> str:
        """Failed API credentials (personal tokens, ACCESS_TOKENS, A2A JWTs) one
        client address may send, e.g. "30/10m"; past it they are answered 429."""
        return self._setting("API_AUTH_FAILURE_RATE", "30/10m")


app_settings = AppSettings()
