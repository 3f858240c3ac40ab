"""The actions app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `ACTIONS_<NAME>` (the environment
variable of the same name sets it).
"""

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"ACTIONS_{name}", default)

    @property
    def DEFAULT_THROTTLE_RATE(self) -> str:
        """Calls per user and action, e.g. "120/min", unless the action sets its own
        `throttle_rate`."""
        return self._setting("DEFAULT_THROTTLE_RATE", "120/min")

    @property
    def MCP_ALLOWED_ORIGINS(self) -> list[str]:
        """Origins (`https://host[:port]`) besides the app's own whose pages may call
        `/mcp` from a browser; a request with any other `Origin` is refused (403),
        against DNS rebinding. Requests with no `Origin` (not from a browser) pass."""
        return list(self._setting("MCP_ALLOWED_ORIGINS", []))


app_settings = AppSettings()
