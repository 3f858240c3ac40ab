"""Settings shared by every environment.

All configuration comes from the environment (and a `.env` file when present) through
django-environ, here and nowhere else. `local.py`, `test.py` and `production.py` adjust
these defaults; nothing outside `config/settings` reads the environment.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import environ
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _without_empty_urls(variables) -> dict:
    """`variables` less the URL ones (`*_URL`) that are empty: those count as unset.

    A compose file passes `DATABASE_URL=` on when it has no value for it, and an
    empty URL parses into a database with no ENGINE (KeyError) or a cache with no
    scheme. Unset, it takes its default, or, where it has none (production's
    DATABASE_URL, CELERY_BROKER_URL), django-environ's ImproperlyConfigured names it.
    """
    return {
        name: value
        for name, value in variables.items()
        if not (name.endswith("_URL") and not value.strip())
    }


class _Env(environ.Env):
    # A private copy: reading `.env` fills this dict and never mutates os.environ,
    # so a value from the file cannot leak into subprocesses or other libraries.
    ENVIRON = _without_empty_urls(os.environ)


env = _Env()
ENV_FILE = Path(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    # Variables already in the real environment win over the file (an empty URL
    # one is not there: the file may fill it).
    _Env.read_env(ENV_FILE)
    _Env.ENVIRON = _without_empty_urls(_Env.ENVIRON)

# --- Core -------------------------------------------------------------------------

DEBUG = False  # local.py turns it on; never from the environment
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
APP_URL = env.str("APP_URL", default="http://127.0.0.1:8000").rstrip("/")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
ADMIN_URL = env.str("ADMIN_URL", default="admin/")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its form templates, for FORM_RENDERER below
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (/api/docs/)
    "allauth",
    # allauth's apps, renamed for the admin's index (accounts/allauth_apps.py).
    "accounts.allauth_apps.EmailAddressesConfig",
    "accounts.allauth_apps.SocialSignInConfig",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "accounts.allauth_apps.TwoFactorConfig",
    "accounts.allauth_apps.SignedInSessionsConfig",
    # The OAuth 2.1 authorization server agent hosts sign in through for /mcp.
    "allauth.idp.oidc",
    "config.apps.ProjectConfig",
    "accounts",
    "orgs",
    "actions",
    "scoping",
    "webhooks",
    "a2a",
    "notes",  # the example app: delete it when you fork
]

MIDDLEWARE = [
    # First, so every request gets an id and exactly one log line, errors included.
    "config.middleware.RequestLogMiddleware",
    # `Server: app`, not the server's software and version.
    "config.middleware.ServerHeaderMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AuthDisabledMiddleware",
    # Every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    # Account pages (allauth's and accounts') answer Cache-Control: no-store.
    "accounts.middleware.AccountPagesNoStoreMiddleware",
    # Sign-in pages may end at a registered sign-in client (CSP form-action).
    "accounts.oauth.csp.SignInClientFormActionMiddleware",
    # The caller's Context (orgs.context): request.org / request.membership, the
    # request details audit rows read, and the user's scope in that org (scoping/).
    "orgs.middleware.CallerContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orgs.context_processors.org_context",
            ],
        },
    },
]
# Forms render through TEMPLATES, each field as templates/forms/field.html.
FORM_RENDERER = "config.forms.FormRenderer"

# --- Database ---------------------------------------------------------------------


# How the app reaches PostgreSQL: "" (directly, persistent connections), "transaction"
# (through a transaction-pooling pgbouncer: many app processes share few server
# connections) or "pool" (Django's psycopg pool: one process shares a few among its
# threads; the single-machine alternative).
DATABASE_POOLING_MODES = ("", "transaction", "pool")


def database_pooling() -> str:
    """DATABASE_POOLING, checked: one of DATABASE_POOLING_MODES."""
    mode = env.str("DATABASE_POOLING", default="").strip().lower()
    if mode not in DATABASE_POOLING_MODES:
        raise ImproperlyConfigured(
            f"DATABASE_POOLING={mode!r} is not a pooling mode: leave it unset, or set "
            "it to 'transaction' (behind pgbouncer's pool_mode=transaction) or "
            "'pool' (Django's own psycopg pool)."
        )
    return mode


def database_config(config: dict, *, pooling: str = "") -> dict:
    """`config` (parsed from a database URL) with what its engine needs here."""
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if pooling:
            raise ImproperlyConfigured(
                "DATABASE_POOLING is for PostgreSQL; unset it for SQLite."
            )
        # The web process and the Celery worker write to the same file: WAL lets
        # readers and one writer proceed together, IMMEDIATE transactions take the
        # write lock up front (no deadlock-prone lock upgrades), and the timeout
        # waits out the other.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Kept open across requests: the scope's temp views and triggers are built
        # once per connection, not once per request (5 to 19 ms each).
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        return config
    # A server (PostgreSQL): persistent connections, checked before reuse so they
    # survive a database restart, and a bounded wait to connect, so an unreachable
    # database is a quick 503 rather than a worker stuck until the OS gives up.
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    options = config.setdefault("OPTIONS", {})
    options.setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    if pooling == "transaction":
        # pgbouncer hands each transaction whichever server connection is free, so
        # nothing may outlive a transaction: no WITH HOLD cursors (server-side
        # cursors), no named prepared statements (pgbouncer 1.18 cannot carry
        # them between server connections). The scope and role are transaction-
        # local already (`set_config(..., true)`, `SET LOCAL ROLE`). The app's own
        # connection to pgbouncer stays persistent: it is cheap, and pgbouncer
        # holds the server connections.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        options["prepare_threshold"] = None
    elif pooling == "pool":
        # Django's pool replaces persistent connections (it refuses both): each
        # request borrows a connection and gives it back; the pool checks it first.
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        options["pool"] = {
            "min_size": 2,
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
            "timeout": options["connect_timeout"],
        }
    return config


DATABASE_POOLING = database_pooling()
DATABASES = {
    "default": database_config(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        pooling=DATABASE_POOLING,
    ),
}
# PostgreSQL: a superuser's URL, for the release step (and the test suite) only:
# with it `migrate` first lays out the roles (`manage.py db_setup_roles`). Never give
# it to the running app; `check --deploy` warns when it is set.
DATABASE_ADMIN_URL = env.str("DATABASE_ADMIN_URL", default="")

# --- Cache ------------------------------------------------------------------------

CACHES = {
    "default": env.cache(
        "CACHE_URL", default=env.str("REDIS_URL", default="locmemcache://")
    ),
}

# --- Accounts (django-allauth) -----------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-in, sign-up and reset answer alike whether or not an account exists.
ACCOUNT_PREVENT_ENUMERATION = True
# QA previews may skip verification (AUTH_SKIP_EMAIL_VERIFICATION=1); check --deploy
# refuses it. local.py and test.py skip it by default. Set here, not left to the
# app's default, because allauth's settings follow it.
ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = env.bool(
    "AUTH_SKIP_EMAIL_VERIFICATION", default=False
)
ACCOUNT_EMAIL_VERIFICATION = (
    "none" if ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION else "mandatory"
)
# By code: the email carries a short code to type, not a link.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = not ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# The site's name, in page titles, the header (its first letter is the logo) and
# the subject of every email.
SITE_NAME = env.str("SITE_NAME", default="Agent Workspace")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
MFA_TOTP_ISSUER = SITE_NAME
# allauth's limits (sign-up 20/min per IP, reset 5/min per address, …) counted in the
# default cache, with failed sign-ins counted per client IP (10 a minute) and per
# client IP and account ("key": accounts.adapter puts the IP in it), so one
# attacker's guesses do not lock the real user out from their own address; and per
# account from every address together (a ceiling, higher), so a distributed guess
# stops too. False turns them all off, which check --deploy refuses.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/15m/key",
    "login_failed_account": "50/h/key",
}
# The client IP, for rate limits and the audit log, behind this many proxies (their
# X-Forwarded-For entries are trusted), or from a header a trusted proxy sets.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default=None)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP keys and recovery-code seeds are encrypted at rest with SECRETS_ENCRYPTION_KEY.
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
USERSESSIONS_TRACK_ACTIVITY = True

# Social sign-in from settings, not database rows; a provider (and its button) exists
# only when its client id and secret are set. Both providers verify email addresses,
# so a sign-in with a verified address may enter the existing account that owns it.
_SOCIAL_PROVIDERS = {
    "google": (
        "GOOGLE_CLIENT_ID",
        "GOOGLE_CLIENT_SECRET",
        "https://accounts.google.com",
    ),
    "github": ("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "https://github.com"),
}
SOCIALACCOUNT_PROVIDERS = {}
SOCIAL_SIGN_IN_ORIGINS = []
for _provider, (_id_var, _secret_var, _origin) in _SOCIAL_PROVIDERS.items():
    if env.str(_id_var, default="") and env.str(_secret_var, default=""):
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [
                {"client_id": env.str(_id_var), "secret": env.str(_secret_var)},
            ],
            "SCOPE": ["user:email"] if _provider == "github" else ["profile", "email"],
            "OAUTH_PKCE_ENABLED": True,
            "EMAIL_AUTHENTICATION": True,
        }
        SOCIAL_SIGN_IN_ORIGINS.append(_origin)

# Cross-app sign-in (README): with IDENTITY_HUB_URL set, users may sign in through
# another deployment of this template, the identity hub, where this app is
# registered (`manage.py sso_client add` there gives the id and secret). Unset,
# nothing of it exists: no provider, URL or button, and no other variable read.
IDENTITY_HUB_URL = env.str("IDENTITY_HUB_URL", default="").rstrip("/")
if IDENTITY_HUB_URL:
    INSTALLED_APPS.insert(
        INSTALLED_APPS.index("allauth.socialaccount.providers.google") + 1,
        "accounts.identity_hub",
    )
    SOCIALACCOUNT_PROVIDERS["identity_hub"] = {
        "APPS": [
            {
                "provider_id": "identity_hub",
                "name": env.str(
                    "IDENTITY_HUB_NAME", default=urlparse(IDENTITY_HUB_URL).netloc
                ),
                "client_id": env.str("IDENTITY_HUB_CLIENT_ID"),
                "secret": env.str("IDENTITY_HUB_CLIENT_SECRET"),
                "settings": {
                    "server_url": IDENTITY_HUB_URL,
                    # The ID token says all this app keeps; no second request.
                    "fetch_userinfo": False,
                    "token_auth_method": "client_secret_basic",
                },
            }
        ],
        "SCOPE": ["openid", "email", "profile"],
        "OAUTH_PKCE_ENABLED": True,
        # The hub verifies addresses (and says so, per address, in the token).
        "EMAIL_AUTHENTICATION": True,
    }
    _hub = urlparse(IDENTITY_HUB_URL)
    SOCIAL_SIGN_IN_ORIGINS.append(f"{_hub.scheme}://{_hub.netloc}")
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# Provider tokens are not kept; a flow that needs them stores them encrypted.
SOCIALACCOUNT_STORE_TOKENS = False

# The OAuth 2.1 authorization server for /mcp (allauth.idp.oidc, glue in
# accounts/oauth/): agent hosts register themselves (RFC 7591, public clients, no
# initial access token, rate limited per IP), run authorization code + PKCE and get
# opaque access tokens bound to <APP_URL>/mcp. The signing key (PEM, RSA) signs ID
# tokens and is published at /.well-known/jwks.json; check --deploy refuses its
# absence, local.py and test.py make one (see there).
IDP_OIDC_ADAPTER = "accounts.oauth.adapter.OAuthServerAdapter"
IDP_OIDC_PRIVATE_KEY = env.str("IDP_OIDC_PRIVATE_KEY", default="", multiline=True)
IDP_OIDC_ACCESS_TOKEN_EXPIRES_IN = 60 * 60
# ID tokens (for the apps signing their users in here) are used once, at sign-in.
IDP_OIDC_ID_TOKEN_EXPIRES_IN = 5 * 60
IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN = 60
IDP_OIDC_ROTATE_REFRESH_TOKEN = True
IDP_OIDC_REFRESH_TOKEN_EXPIRES_IN = 30 * 24 * 60 * 60
IDP_OIDC_DCR_ENABLED = True
IDP_OIDC_DCR_REQUIRES_INITIAL_ACCESS_TOKEN = False
# Client ID metadata documents (an https client_id whose JSON the server fetches):
# only from port 443 of hosts with public addresses, pinned to the checked
# addresses, and held to the registered clients' rules (accounts/oauth/cimd.py).
# IDP_OIDC_CIMD_ENABLED=0 turns them off for a deploy.
IDP_OIDC_CIMD_ENABLED = env.bool("IDP_OIDC_CIMD_ENABLED", default=True)
IDP_OIDC_AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"]


def generated_private_key() -> str:
    """A new RSA private key, PEM: the OAuth server's signing key where none is
    configured (local.py keeps it in a file, test.py one per test session)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


# --- The apps' settings from the environment ---------------------------------------

# Each app keeps its settings, with their defaults and what they mean, in its
# app_settings.py (set them here as `<APP>_<NAME>`). This maps the environment
# variables DESIGN.md names onto them, and only those that are set: an unset one
# leaves the app's default.
_APP_SETTINGS_FROM_ENV = {
    # accounts
    "AUTH_DISABLED": ("ACCOUNTS_AUTH_DISABLED", env.bool),
    "DISABLE_AUTO_DEV_ACCOUNT": ("ACCOUNTS_DISABLE_AUTO_DEV_ACCOUNT", env.bool),
    # ACCESS_TOKENS=<token>=<email>,<token>=<email>
    "ACCESS_TOKENS": ("ACCOUNTS_ACCESS_TOKENS", env.dict),
    "OAUTH_STATE_SECRET": ("ACCOUNTS_OAUTH_STATE_SECRET", env.str),
    "OAUTH_CALLBACK_PATHS": ("ACCOUNTS_OAUTH_CALLBACK_PATHS", env.list),
    "SECRETS_ENCRYPTION_KEY": ("ACCOUNTS_SECRETS_ENCRYPTION_KEY", env.str),
    "KEYS_WORKSPACE_FALLBACK": ("ACCOUNTS_KEYS_WORKSPACE_FALLBACK", env.bool),
    # orgs
    "AUTO_CREATE_DEFAULT_ORG": ("ORGS_AUTO_CREATE_DEFAULT_ORG", env.bool),
    "ORG_INVITATION_TTL_DAYS": ("ORGS_INVITATION_TTL_DAYS", env.int),
    # actions
    "ACTIONS_DEFAULT_THROTTLE_RATE": ("ACTIONS_DEFAULT_THROTTLE_RATE", env.str),
    "MCP_ALLOWED_ORIGINS": ("ACTIONS_MCP_ALLOWED_ORIGINS", env.list),
    # webhooks
    "WEBHOOK_PROVIDERS": ("WEBHOOKS_PROVIDERS", env.list),
    "ALLOW_UNVERIFIED_WEBHOOKS": ("WEBHOOKS_ALLOW_UNVERIFIED", env.bool),
    "WEBHOOK_QUEUE": ("WEBHOOKS_QUEUE", env.str),
    "WEBHOOK_MAX_ATTEMPTS": ("WEBHOOKS_MAX_ATTEMPTS", env.int),
    "WEBHOOK_RETRY_BASE_SECONDS": ("WEBHOOKS_RETRY_BASE_SECONDS", env.float),
    "WEBHOOK_RETRY_MAX_SECONDS": ("WEBHOOKS_RETRY_MAX_SECONDS", env.float),
    "WEBHOOK_PROCESSING_LEASE_SECONDS": ("WEBHOOKS_PROCESSING_LEASE_SECONDS", env.int),
    "WEBHOOK_SWEEP_AFTER_SECONDS": ("WEBHOOKS_SWEEP_AFTER_SECONDS", env.int),
    "WEBHOOK_DISPATCHER": ("WEBHOOKS_DISPATCHER", env.bool),
    "WEBHOOK_DISPATCH_POLL_SECONDS": ("WEBHOOKS_DISPATCH_POLL_SECONDS", env.float),
    "WEBHOOK_DISPATCH_RETRY_SECONDS": ("WEBHOOKS_DISPATCH_RETRY_SECONDS", env.int),
    "RESEND_API_KEY": ("WEBHOOKS_RESEND_API_KEY", env.str),
    "RESEND_API_URL": ("WEBHOOKS_RESEND_API_URL", env.str),
    "PUBSUB_CERTS_URL": ("WEBHOOKS_PUBSUB_CERTS_URL", env.str),
    # a2a
    "A2A_SECRET": ("A2A_SECRET", env.str),
    "A2A_AGENT_NAME": ("A2A_AGENT_NAME", env.str),
    "A2A_AGENT_DESCRIPTION": ("A2A_AGENT_DESCRIPTION", env.str),
    "A2A_AGENT_VERSION": ("A2A_AGENT_VERSION", env.str),
}
# Each webhook provider's credentials, named by its verifier's `secret_settings`:
# the variable NAME sets WEBHOOKS_NAME.
_WEBHOOK_SECRETS = (
    "RESEND_WEBHOOK_SECRET",
    "RESEND_INBOUND_WEBHOOK_SECRET",
    "SENDGRID_WEBHOOK_PUBLIC_KEY",
    "SENDGRID_INBOUND_SECRET",
    "SLACK_SIGNING_SECRET",
    "TELEGRAM_WEBHOOK_SECRET",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
    "RECALL_WEBHOOK_SECRET",
    "DEEPGRAM_CALLBACK_SECRET",
    "ZOOM_WEBHOOK_SECRET_TOKEN",
    "PUBSUB_PUSH_AUDIENCE",
    "PUBSUB_PUSH_SERVICE_ACCOUNT",
)
_APP_SETTINGS_FROM_ENV.update(
    {name: (f"WEBHOOKS_{name}", env.str) for name in _WEBHOOK_SECRETS}
)
for _variable, (_setting, _read) in _APP_SETTINGS_FROM_ENV.items():
    if _variable in env:
        globals()[_setting] = _read(_variable)

# --- Passwords --------------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email ------------------------------------------------------------------------


def mailer_from_url(url: str) -> dict:
    """One MAILERS entry from a URL like smtp+tls://user:password@host:587."""
    parsed = env.email_url_config(url)
    options = {}
    if parsed["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        options = {
            "host": parsed["EMAIL_HOST"],
            "port": parsed["EMAIL_PORT"],
            "username": parsed["EMAIL_HOST_USER"],
            "password": parsed["EMAIL_HOST_PASSWORD"],
            "use_tls": parsed.get("EMAIL_USE_TLS", False),
            "use_ssl": parsed.get("EMAIL_USE_SSL", False),
            "timeout": 10,
        }
    backend = parsed["EMAIL_BACKEND"]
    if backend == "django.core.mail.backends.console.EmailBackend":
        # Printed decoded, so links stay whole on one line (config/mail.py says why).
        backend = "config.mail.EmailBackend"
    return {"BACKEND": backend, "OPTIONS": options}


# consolemail:// prints messages, readable; production sets an SMTP URL.
MAILERS = {"default": mailer_from_url(env.str("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static files -----------------------------------------------------------------

STATIC_URL = "/static/"
# Files come from the apps' static/ folders; production collects them into
# STATIC_ROOT (collectstatic) and whitenoise serves them with far-future caching.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- Security ---------------------------------------------------------------------

# Strict Content-Security-Policy: everything from this origin, scripts and styles
# only from files here or carrying the per-request nonce; no inline handlers, no
# eval, no plugins, and no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    # Browsers also apply form-action to the redirect after a POST, so social
    # sign-in needs its providers' origins here.
    "form-action": [CSP.SELF, *SOCIAL_SIGN_IN_ORIGINS],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# "HTTP_X_FORWARDED_PROTO,https" behind a proxy that sets that header and strips
# it from clients; unset, Django trusts only the socket.
_proxy_ssl_header = env.tuple("SECURE_PROXY_SSL_HEADER", default=())
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# CORS is for API clients on other origins, so it applies under /api/ only and
# allows no origin unless listed.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# A listed origin's script may name the org of a call (X-Org) and correlate its
# requests (X-Request-ID), besides corsheaders' defaults.
CORS_ALLOW_HEADERS = (
    *default_cors_headers,
    "x-org",
    "x-request-id",
    # /mcp, for the origins ACTIONS_MCP_ALLOWED_ORIGINS lists (actions.mcp.views).
    "mcp-protocol-version",
)
# WWW-Authenticate: a 401's challenge names where to get a token (RFC 9728).
CORS_EXPOSE_HEADERS = ["X-Request-ID", "WWW-Authenticate"]

# --- Celery -----------------------------------------------------------------------

# The default broker is kombu's filesystem transport: a folder, no server, so a
# fresh clone runs a real worker with nothing installed. Production names Redis or
# RabbitMQ.
BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(BASE_DIR / ".broker")))
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
# Publishing gives up fast when the broker is down: a webhook is stored first and
# answered within the provider's deadline; the sweeper queues it later.
CELERY_PUBLISH_RETRY_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_PUBLISH_RETRY_OPTIONS,
    **(
        {
            "data_folder_in": str(BROKER_DIR / "queue"),
            "data_folder_out": str(BROKER_DIR / "queue"),
            "control_folder": str(BROKER_DIR / "control"),
            "store_processed": False,
        }
        if CELERY_BROKER_URL.startswith("filesystem://")
        else {}
    ),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(BROKER_DIR / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {"task": "orgs.tasks.expire_invitations", "schedule": 3600},
    "sweep-webhook-events": {
        "task": "webhooks.tasks.sweep_webhook_events",
        "schedule": 60,
    },
    "clear-expired-oauth-tokens": {
        "task": "accounts.tasks.clear_expired_oauth_tokens",
        "schedule": 3600,
    },
}
# No result backend: tasks record their outcome in the database they act on.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS = False

# --- REST framework ---------------------------------------------------------------

REST_FRAMEWORK = {
    # In this order: the browser's session (CSRF enforced), a personal API token,
    # a static ACCESS_TOKENS entry.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.SessionAuthentication",
        "orgs.authentication.ApiTokenWithOrgAuthentication",
        "a2a.authentication.A2AJWTAuthentication",
        "accounts.authentication.AccessTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON in and out. Another body type is 415, another Accept 406 (config.api);
    # the parser bounds nesting (config.jsonbody), so no body can raise RecursionError.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    # No `?format=`: the answer is JSON, and `format` may be an action's input field.
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "actions.openapi.ActionSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Actions API",
    "DESCRIPTION": "Every action of this app. Errors use one envelope: "
    '{"error": {"code", "message", "fields"}}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # 3.1: its schemas are JSON Schema 2020-12, what actions.schema writes for
    # the tools too (actions.openapi builds the document from it).
    "OAS_VERSION": "3.1.0",
    # What a serializer accepts and what it answers are two schemas (`…Request`).
    "COMPONENT_SPLIT_REQUEST": True,
    # Choices stay where they are used: no shared `RoleEnum` for two sets of roles.
    "POSTPROCESSING_HOOKS": [],
}

# --- Logging ----------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# plain: one readable line per record. json: one JSON object per line, for a log
# collector (python-json-logger: a formatter only, so the filters below redact alike).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.log.RequestIdFilter"},
        "redact_secrets": {"()": "config.log.RedactSecretsFilter"},
    },
    "formatters": {
        "line": {
            # One record, one line: control characters (a `%0a` in a path) escaped.
            "class": "config.log.LineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            # The same fields, and each `extra` value (the request line's method,
            # route, status, duration_ms, user, caller) as a key of its own.
            "()": "config.log.JsonLineFormatter",
            "fmt": "%(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "line",
            "filters": ["request_id", "redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # No handlers of its own (Django adds some by default): records go to the
        # root's, once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Our middleware writes the one line per request; runserver's access line
        # would be a second.
        "django.server": {"handlers": [], "propagate": False},
        # 4xx are in the request line already; keep tracebacks of 5xx.
        "django.request": {"level": "ERROR"},
        "celery.app.trace": {"level": "WARNING"},
    },
}

# --- Error reports ----------------------------------------------------------------

# SENTRY_DSN set: errors of web requests and Celery tasks go to Sentry, scrubbed as
# the logs are (config/sentry.py). Unset, Sentry's SDK is not even imported.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        release=env.str("SENTRY_RELEASE", default=""),
        environment=env.str("SENTRY_ENVIRONMENT", default=""),
    )
