"""Settings for the test suite: same stack as local, fast hashing, isolated state."""

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    DATABASES,
    IDP_OIDC_PRIVATE_KEY,
    INSTALLED_APPS,
    env,
    generated_private_key,
)

# The framework's tests use an app of their own (scoped models, actions), never the
# example app, so a fork that deletes notes/ keeps a green suite.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

DEBUG = False
SECRET_KEY = "django-insecure-test-only-key-0123456789-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a Celery worker started by a test reads the same data.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("TEST_SQLITE_PATH", default=str(BASE_DIR / ".test-db.sqlite3"))
    }

# Sign-up signs in at once; AUTH_SKIP_EMAIL_VERIFICATION=0 turns verification on.
ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = env.bool(
    "AUTH_SKIP_EMAIL_VERIFICATION", default=True
)
ACCOUNT_EMAIL_VERIFICATION = (
    "none" if ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION else "mandatory"
)
# By code: the email carries a short code to type, not a link.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = not ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION

# The OAuth server's signing key, unless IDP_OIDC_PRIVATE_KEY is set: one per test
# session, in memory (nothing to leak, nothing left behind).
IDP_OIDC_PRIVATE_KEY = IDP_OIDC_PRIVATE_KEY or generated_private_key()
