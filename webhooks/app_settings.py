"""The webhooks app's settings, with their defaults (read when used, never at import).

Set any of them in the project's settings as `WEBHOOKS_<NAME>`; `config/settings`
maps the environment variables onto them (`WEBHOOK_PROVIDERS` sets
`WEBHOOKS_PROVIDERS`, `ALLOW_UNVERIFIED_WEBHOOKS` `WEBHOOKS_ALLOW_UNVERIFIED`, …).

A provider's credentials are named by its verifier's `secret_settings`
(`RESEND_WEBHOOK_SECRET`, …): the environment variable of that name sets the setting
`WEBHOOKS_<that name>`, read through `secret()`.
"""

from django.conf import settings

DEFAULT_PROVIDERS = (
    "resend",
    "resend-inbound",
    "sendgrid",
    "sendgrid-inbound",
    "slack",
    "telegram",
    "whatsapp",
    "recall",
    "deepgram",
    "zoom",
    "pubsub",
)


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"WEBHOOKS_{name}", default)

    def secret(self, name: str) -> str:
        """A provider's credential by its verifier's name for it; "" when unset."""
        return self._setting(name, "") or ""

    @property
    def PROVIDERS(self) -> list[str]:
        """Providers answered at /webhooks/<name>/; check --deploy wants a secret
        for each."""
        return list(self._setting("PROVIDERS", DEFAULT_PROVIDERS))

    @property
    def ALLOW_UNVERIFIED(self) -> bool:
        """True: accept webhooks of providers with no secret (DEBUG only; startup
        refuses it else)."""
        return bool(self._setting("ALLOW_UNVERIFIED", False))

    @property
    def QUEUE(self) -> str | None:
        """A queue of their own for webhook processing (the worker must consume it);
        None: Celery's default queue."""
        return self._setting("QUEUE", None)

    @property
    def MAX_ATTEMPTS(self) -> int:
        """Attempts before an event is `dead`."""
        return int(self._setting("MAX_ATTEMPTS", 8))

    @property
    def RETRY_BASE_SECONDS(self) -> float:
        """The first retry's backoff ceiling; it doubles with each attempt."""
        return float(self._setting("RETRY_BASE_SECONDS", 10.0))

    @property
    def RETRY_MAX_SECONDS(self) -> float:
        """The longest backoff between attempts."""
        return float(self._setting("RETRY_MAX_SECONDS", 3600.0))

    @property
    def PROCESSING_LEASE_SECONDS(self) -> int:
        """A claimed event whose worker has not finished by then is handed out
        again."""
        return int(self._setting("PROCESSING_LEASE_SECONDS", 600))

    @property
    def SWEEP_AFTER_SECONDS(self) -> int:
        """A queued event nobody picked up by then is queued again (its message was
        lost)."""
        return int(self._setting("SWEEP_AFTER_SECONDS", 60))

    @property
    def DISPATCHER(self) -> bool:
        """Each Celery worker runs a dispatcher that queues stored events
        (webhooks/dispatcher.py); False: none does."""
        return bool(self._setting("DISPATCHER", True))

    @property
    def DISPATCH_POLL_SECONDS(self) -> float:
        """The dispatcher looks every POLL seconds (PostgreSQL: it is woken by each
        stored event, and looks every 10 x POLL as well)."""
        return float(self._setting("DISPATCH_POLL_SECONDS", 0.5))

    @property
    def DISPATCH_RETRY_SECONDS(self) -> int:
        """An event the broker refused waits this long before the next try."""
        return int(self._setting("DISPATCH_RETRY_SECONDS", 5))

    @property
    def RESEND_API_KEY(self) -> str:
        """The inbound-email task fetches each message with this key."""
        return self._setting("RESEND_API_KEY", "") or ""

    @property
    def RESEND_API_URL(self) -> str:
        return self._setting("RESEND_API_URL", "https://api.resend.com")

    @property
    def PUBSUB_CERTS_URL(self) -> str:
        """Where Google publishes the keys that sign Pub/Sub push tokens."""
        return self._setting(
            "PUBSUB_CERTS_URL", "https://www.googleapis.com/oauth2/v3/certs"
        )


app_settings = AppSettings()
