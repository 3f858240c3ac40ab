"""Who a request is: the user, their API tokens, and the audit log of what they did."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# Declared in accounts.oauth, imported here so Django finds them as accounts' models.
from accounts.oauth.models import OAuthGrant, RotatedRefreshToken  # noqa: F401
from scoping.context import current_org_id, current_owner_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Whole address lowercased: one mailbox, one account, however it is typed.
        return (email or "").strip().lower()

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Identified by email address, unique whatever its case."""

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email.partition("@")[0]


class ApiToken(models.Model):
    """A personal API token: only its SHA-256 digest is kept; it is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # A token made for one organization acts only in it (X-Org cannot step out),
    # and dies with it; without one, calls act in the user's active org. Not named
    # `org`: an `org_id` column would make the table a scoped one (scoping/).
    bound_org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The public part of the token, used to find the row before comparing digests.
    key_id = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"
        constraints = [
            models.UniqueConstraint(
                "user",
                "name",
                condition=models.Q(revoked_at__isnull=True),
                name="accounts_apitoken_active_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEvent(models.Model):
    """Something security-relevant that happened. Written only by `audit_record`."""

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who acted, as text: kept when the user is deleted (then pseudonymous).
    actor_label = models.CharField(max_length=254, blank=True)
    # Not a foreign key: the record outlives the organization.
    org_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # The entrance (config.context: http, agent, a2a, cli, task, mcp, system) and
    # the id of the request or task, as its log lines carry it.
    caller = models.CharField(max_length=16, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_label or 'system'}"


class SecretScope(models.TextChoices):
    USER = "user", "User"
    ORG = "org", "Organization"


class Secret(models.Model):
    """A named credential (an API key a user brings), encrypted at rest.

    The value is AES-GCM ciphertext bound to (scope, scope id, name); read it only
    through `accounts.secrets.resolve_secret`.
    """

    scope = models.CharField(max_length=4, choices=SecretScope.choices)
    # The user's id or the organization's id, as text.
    scope_id = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    value = models.TextField()
    # Hosts the secret may be sent to (empty: anywhere the code sends it).
    url_allowlist = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "scope", "scope_id", "name", name="accounts_secret_once_per_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.scope})"

    @property
    def bound_to(self) -> str:
        return f"accounts.secret:{self.scope}:{self.scope_id}:{self.name}"


class OAuthToken(models.Model):
    """A third-party OAuth token of one user in one org, encrypted at rest."""

    provider = models.CharField(max_length=40)
    account_id = models.CharField(max_length=255)
    # Scope columns: the database shows a token only to its owner, in its org.
    owner_email = models.EmailField(default=current_owner_email, db_index=True)
    org_id = models.UUIDField(default=current_org_id, db_index=True)
    token = models.TextField()
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "OAuth token"
        constraints = [
            models.UniqueConstraint(
                "provider",
                "account_id",
                "owner_email",
                "org_id",
                name="accounts_oauthtoken_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} token of {self.owner_email}"

    @property
    def bound_to(self) -> str:
        return (
            f"accounts.oauthtoken:{self.provider}:{self.account_id}:"
            f"{self.owner_email}:{self.org_id}"
        )
