"""The orgs app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `ORGS_<NAME>`.
"""

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"ORGS_{name}", default)

    @property
    def INVITATION_RESEND_RATE(self) -> str:
        """How often one invitation may be sent again, e.g. "3/h": each resend
        emails the invitee, so an admin's account cannot be made to flood them."""
        return self._setting("INVITATION_RESEND_RATE", "3/h")


app_settings = AppSettings()
