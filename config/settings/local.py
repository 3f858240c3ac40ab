"""Settings for `make run` on a developer's machine: DEBUG on, embedded defaults."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, IDP_OIDC_PRIVATE_KEY, env, generated_private_key

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

# The OAuth server's signing key, unless IDP_OIDC_PRIVATE_KEY is set: made once and
# kept in a git-ignored file, so ID tokens and the JWKS survive the dev server's
# restarts and reloads.
# `make run` starts the web process and the worker together: the file appears whole
# (linked from a finished temporary file), and the first one made is the one kept.
_DEV_OIDC_KEY = BASE_DIR / ".oidc-dev-key.pem"
if not IDP_OIDC_PRIVATE_KEY:
    if not _DEV_OIDC_KEY.is_file():
        _draft = _DEV_OIDC_KEY.with_name(f".oidc-dev-key.{os.getpid()}.tmp")
        _draft.write_text(generated_private_key())
        _draft.chmod(0o600)
        try:
            os.link(_draft, _DEV_OIDC_KEY)
        except FileExistsError:
            pass
        finally:
            _draft.unlink()
    IDP_OIDC_PRIVATE_KEY = _DEV_OIDC_KEY.read_text()
