"""The scoping app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `SCOPING_<NAME>`.

Which tables are not scoped, or not user data, each app declares on its AppConfig
(see scoping.registry); the settings here cover what no app declares: a team's own
shared tables, and apps whose code is not ours (Django's, allauth's).
"""

from django.conf import settings

# django.contrib's and allauth's apps with models.
DEFAULT_FRAMEWORK_APPS = (
    "admin",  # not a role: django.contrib.admin
    "auth",
    "contenttypes",
    "sessions",
    "account",
    "socialaccount",
    "mfa",
    "usersessions",
    "allauth_idp_oidc",  # the OAuth server's clients and tokens
)
DEFAULT_FRAMEWORK_TABLES = ("django_migrations",)


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"SCOPING_{name}", default)

    @property
    def UNSCOPED_TABLES(self) -> tuple[str, ...]:
        """Tables with an org_id or owner_email column that are not scoped anyway,
        besides those the apps declare (`scoping_unscoped_tables`)."""
        return tuple(self._setting("UNSCOPED_TABLES", ()))

    @property
    def FRAMEWORK_APPS(self) -> tuple[str, ...]:
        """Labels of installed apps that cannot declare it themselves (others'
        code) whose tables are all machinery, not user data: they need no scope
        column and agent SQL never reaches them. Add e.g. "django_celery_beat"."""
        return tuple(self._setting("FRAMEWORK_APPS", DEFAULT_FRAMEWORK_APPS))

    @property
    def FRAMEWORK_TABLES(self) -> tuple[str, ...]:
        """Framework tables no installed app's models make, such as the record of
        applied migrations."""
        return tuple(self._setting("FRAMEWORK_TABLES", DEFAULT_FRAMEWORK_TABLES))

    @property
    def AGENT_ROLE(self) -> str:
        """The PostgreSQL role agent SQL runs as; "" means `<app role>_agent`."""
        return self._setting("AGENT_ROLE", "")

    @property
    def UNSCOPED_ROLE(self) -> str:
        """The PostgreSQL role that owns the tables and sees every row; "" means
        `<app role>_unscoped`."""
        return self._setting("UNSCOPED_ROLE", "")

    @property
    def AGENT_SQL_TIMEOUT_MS(self) -> int:
        """How long one agent statement may run."""
        return int(self._setting("AGENT_SQL_TIMEOUT_MS", 5_000))

    @property
    def AGENT_SQL_MAX_ROWS(self) -> int:
        """The most rows one agent query returns."""
        return int(self._setting("AGENT_SQL_MAX_ROWS", 500))

    @property
    def AGENT_SQL_MAX_BYTES(self) -> int:
        """The most bytes of values one agent query returns, counted as fetched."""
        return int(self._setting("AGENT_SQL_MAX_BYTES", 256 * 1024))

    @property
    def AGENT_SQL_MAX_VALUE_BYTES(self) -> int:
        """The largest string or blob an agent statement may build (SQLite)."""
        return int(self._setting("AGENT_SQL_MAX_VALUE_BYTES", 1024 * 1024))

    @property
    def AGENT_SQL_WORK_MEM(self) -> str:
        """PostgreSQL's work_mem for one agent statement (sorts, hashes)."""
        return self._setting("AGENT_SQL_WORK_MEM", "4MB")

    @property
    def AGENT_SQL_TEMP_FILE_LIMIT(self) -> str:
        """PostgreSQL's temp_file_limit for one agent statement."""
        return self._setting("AGENT_SQL_TEMP_FILE_LIMIT", "64MB")


app_settings = AppSettings()
