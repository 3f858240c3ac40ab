"""Deploy checks for the project's core settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_SECRET_KEY_LENGTH = 50


@register(Tags.security, deploy=True)
def check_debug_off(app_configs, **kwargs):
    if settings.DEBUG:
        return [
            Error(
                "DEBUG is on.",
                hint="Use config.settings.production, which never turns it on.",
                id="config.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    key = settings.SECRET_KEY or ""
    if len(key) < MIN_SECRET_KEY_LENGTH or key.startswith("django-insecure"):
        return [
            Error(
                "SECRET_KEY is missing, shorter than "
                f"{MIN_SECRET_KEY_LENGTH} characters, or a development key.",
                hint="Set SECRET_KEY to the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
                id="config.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs, **kwargs):
    hosts = settings.ALLOWED_HOSTS
    if not hosts or "*" in hosts:
        return [
            Error(
                "ALLOWED_HOSTS is empty or allows any host ('*').",
                hint="List the app's public host names, e.g. "
                "ALLOWED_HOSTS=app.example.com.",
                id="config.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_database_not_sqlite(app_configs, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return [
            Error(
                "The database is SQLite.",
                hint="Set DATABASE_URL to a PostgreSQL database: row level security, "
                "which keeps each user's rows apart, needs it.",
                id="config.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_broker_is_a_server(app_configs, **kwargs):
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return [
            Error(
                "CELERY_BROKER_URL is the local filesystem broker.",
                hint="Set CELERY_BROKER_URL to redis://… or amqp://…: a folder on one "
                "machine is not shared by web and worker hosts.",
                id="config.E005",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_error_pages_leak_nothing(app_configs, **kwargs):
    if settings.DEBUG_PROPAGATE_EXCEPTIONS:
        return [
            Error(
                "DEBUG_PROPAGATE_EXCEPTIONS is on: errors reach the server's own "
                "error pages instead of the template's.",
                hint="Leave DEBUG_PROPAGATE_EXCEPTIONS off in production.",
                id="config.E006",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_https(app_configs, **kwargs):
    problems = [
        name
        for name, ok in (
            ("SESSION_COOKIE_SECURE", settings.SESSION_COOKIE_SECURE),
            ("CSRF_COOKIE_SECURE", settings.CSRF_COOKIE_SECURE),
            ("SECURE_HSTS_SECONDS", settings.SECURE_HSTS_SECONDS > 0),
            ("SECURE_SSL_REDIRECT", settings.SECURE_SSL_REDIRECT),
        )
        if not ok
    ]
    if problems:
        return [
            Error(
                f"HTTPS is not enforced: {', '.join(problems)}.",
                hint="Use config.settings.production, which sets them all.",
                id="config.E007",
            )
        ]
    return []
