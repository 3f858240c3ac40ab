"""Settings for a deployment. Refuses to start without the variables it needs."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    CELERY_PUBLISH_RETRY_OPTIONS,
    DATABASE_POOLING,
    database_config,
    env,
    mailer_from_url,
)

DEBUG = False

# env() without a default raises ImproperlyConfigured naming the variable.
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters; generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
DATABASES = {
    "default": database_config(env.db("DATABASE_URL"), pooling=DATABASE_POOLING)
}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable.")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
# Rate limits and A2A's replay protection count in the cache: every process must see
# the same counts, or each one lets through its own share (and replays a token once).
_CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if not _CACHE_URL:
    raise ImproperlyConfigured(
        "Set REDIS_URL (or CACHE_URL) to a cache every process shares: rate limits "
        "and A2A replay protection depend on it."
    )
CACHES = {"default": env.cache_url_config(_CACHE_URL)}
if CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache")):
    raise ImproperlyConfigured(
        "REDIS_URL / CACHE_URL names a per-process cache; production needs one every "
        "process shares (Redis, Memcached, the database)."
    )
# Required here (accounts' default derives a key from SECRET_KEY).
ACCOUNTS_SECRETS_ENCRYPTION_KEY = env.str("SECRETS_ENCRYPTION_KEY")
CELERY_BROKER_TRANSPORT_OPTIONS = CELERY_PUBLISH_RETRY_OPTIONS

# --- HTTPS ------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Secure- prefix makes browsers refuse these cookies over plain HTTP or
# without the Secure flag, so a network attacker cannot plant them.
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
LANGUAGE_COOKIE_NAME = "__Secure-django_language"
LANGUAGE_COOKIE_SECURE = True

# --- Static files -----------------------------------------------------------------

STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# --- Email ------------------------------------------------------------------------

# EMAIL_URL like "smtp+tls://user:password@smtp.example.com:587".
MAILERS = {
    "default": mailer_from_url(env.str("EMAIL_URL", default="smtp://localhost:25"))
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
