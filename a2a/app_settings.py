"""The a2a app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `A2A_<NAME>` (the environment variable
of the same name sets it).
"""

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"A2A_{name}", default)

    @property
    def SECRET(self) -> str:
        """Shared HS256 key (>= 32 bytes) with the apps whose agents call this one.
        "": production answers 503 on every A2A URL; DEBUG takes calls with no
        identity."""
        return self._setting("SECRET", "") or ""

    @property
    def AGENT_NAME(self) -> str:
        """The agent card's name."""
        return self._setting("AGENT_NAME", "Django agent")

    @property
    def AGENT_DESCRIPTION(self) -> str:
        """The agent card's description."""
        return self._setting(
            "AGENT_DESCRIPTION",
            "Runs this app's actions for the person the calling agent acts for.",
        )

    @property
    def AGENT_VERSION(self) -> str:
        """The agent card's version."""
        return self._setting("AGENT_VERSION", "1.0.0")


app_settings = AppSettings()
