"""Settings for `make run` on a developer's machine: DEBUG on, embedded defaults."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
# A fixed key is fine here: local data is throwaway and never served publicly.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-local-only-key-never-use-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Sign-up signs in at once; AUTH_SKIP_EMAIL_VERIFICATION=0 turns verification on.
ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = env.bool(
    "AUTH_SKIP_EMAIL_VERIFICATION", default=True
)
ACCOUNT_EMAIL_VERIFICATION = (
    "none" if ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION else "mandatory"
)
# By code: the email carries a short code to type, not a link.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = not ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION
