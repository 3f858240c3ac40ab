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

    @property
    def DOMAIN_TXT_LABEL(self) -> str:
        """The label under a claimed domain where its owner puts the TXT record with
        the claim's token: `<label>.<domain>`."""
        return self._setting("DOMAIN_TXT_LABEL", "_org-verification")

    @property
    def DNS_NAMESERVERS(self) -> tuple[str, ...]:
        """Nameservers the domain check asks, as "ip" or "ip:port" ("[v6]:port");
        empty: the system's resolver (/etc/resolv.conf)."""
        return tuple(self._setting("DNS_NAMESERVERS", ()))

    @property
    def DNS_TIMEOUT(self) -> float:
        """Seconds one domain check may take in all before it reports a timeout."""
        return float(self._setting("DNS_TIMEOUT", 5.0))

    @property
    def DOMAIN_CHECK_RATE(self) -> str:
        """How often an org may ask for its domain to be checked now, e.g. "10/h":
        each check sends DNS queries from our servers."""
        return self._setting("DOMAIN_CHECK_RATE", "10/h")

    @property
    def UNCLAIMABLE_DOMAINS(self) -> tuple[str, ...]:
        """Domains refused as an org's domain besides the packaged free-mail and
        disposable lists (a provider those lists miss); their subdomains too."""
        return tuple(d.lower() for d in self._setting("UNCLAIMABLE_DOMAINS", ()))


app_settings = AppSettings()
