"""The orgs app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `ORGS_<NAME>`; `config/settings` maps
the environment variables onto them (`AUTO_CREATE_DEFAULT_ORG` sets
`ORGS_AUTO_CREATE_DEFAULT_ORG`, `ORG_INVITATION_TTL_DAYS` `ORGS_INVITATION_TTL_DAYS`).
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

    @property
    def AUTO_CREATE_DEFAULT_ORG(self) -> bool:
        """False: a user with no organization gets none made for them (the team
        page offers one)."""
        return bool(self._setting("AUTO_CREATE_DEFAULT_ORG", True))

    @property
    def INVITATION_TTL_DAYS(self) -> int:
        """How many days an invitation stays valid."""
        return int(self._setting("INVITATION_TTL_DAYS", 7))


app_settings = AppSettings()
