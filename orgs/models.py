"""Organizations, who belongs to them in which role, and invitations to join."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    """Roles in an organization, declared from the most powerful down: the one
    ranking, asked as `Role(role).at_least(Role.ADMIN)`."""

    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"

    def at_least(self, least: "Role | str") -> bool:
        """Whether this role is `least` or ranks above it (owner > admin > member)."""
        order = list(Role)
        return order.index(self) <= order.index(Role(least))


class Organization(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint("org", "user", name="orgs_membership_once_per_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="orgs_membership_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.org} ({self.role})"

    def has_role(self, least: Role | str) -> bool:
        """Whether this member's role is `least` or above it."""
        return Role(self.role).at_least(least)

    @property
    def can_manage(self) -> bool:
        """Owners and admins rename, invite, remove members and set the domain."""
        return self.has_role(Role.ADMIN)

    @property
    def is_owner(self) -> bool:
        return self.has_role(Role.OWNER)

    def may_remove(self, other: "Membership") -> bool:
        """Whether this member may remove `other` from the org: managers remove
        anyone but themselves whose role is not above their own (an admin removes
        members and admins, an owner anyone)."""
        return (
            self.can_manage
            and other.user_id != self.user_id
            and self.has_role(other.role)
        )


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class Invitation(models.Model):
    """An invitation to one address. Its link carries a secret; the row, its hash."""

    INVITABLE_ROLES = (Role.MEMBER, Role.ADMIN)

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # SHA-256 of the secret in the link; empty until the invitation email is sent.
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "org",
                "email",
                condition=models.Q(status="pending"),
                name="orgs_invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["member", "admin"]),
                name="orgs_invitation_role_not_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")),
                name="orgs_invitation_email_lowercase",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values),
                name="orgs_invitation_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.org} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class ActiveOrg(models.Model):
    """The organization a user last chose to act in. Survives sign-out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="active_org",
    )
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "active organization"

    def __str__(self) -> str:
        return f"{self.user} → {self.org}"


class MemberRemoval(models.Model):
    """A user an admin removed from an org: that org's domain no longer lets them in.

    Only an invitation, accepted, brings them back (and clears this row). Leaving
    of one's own accord leaves no row: whoever left may rejoin by domain.
    """

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="removals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("org", "user", name="orgs_removal_once_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} removed from {self.org}"


class DomainClaimStatus(models.TextChoices):
    PENDING = "pending", "Pending DNS proof"
    VERIFIED = "verified", "Verified"


class DomainCheckOutcome(models.TextChoices):
    """What the last DNS lookup of a claim's TXT record found."""

    NOT_CHECKED = "not_checked", "Not checked yet."
    CHECKING = "checking", "A check is on its way."
    FOUND = "found", "The TXT record with the token was found."
    NO_NAME = "no_name", "The record's name does not exist (NXDOMAIN)."
    NO_RECORD = "no_record", "The name has no TXT record."
    WRONG_TOKEN = "wrong_token", "TXT records were found, none with this token."
    TIMEOUT = "timeout", "The DNS servers did not answer in time."
    DNS_ERROR = "dns_error", "The DNS lookup failed."
    TAKEN = "taken", "Another organization proved this domain first."


class DomainClaim(models.Model):
    """An org's claim to an email domain. It counts only once verified.

    Pending, it holds the random token the owner puts in a TXT record; verified (the
    token was found in DNS), people with a verified address at the domain are offered
    to join the org. One claim per org; one verified claim per domain, so pending
    claims by others never block the domain's real owner.
    """

    org = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="domain_claim"
    )
    domain = models.CharField(max_length=253)
    token = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10,
        choices=DomainClaimStatus.choices,
        default=DomainClaimStatus.PENDING,
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    check_outcome = models.CharField(
        max_length=12,
        choices=DomainCheckOutcome.choices,
        default=DomainCheckOutcome.NOT_CHECKED,
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "domain",
                condition=models.Q(status="verified"),
                name="orgs_domainclaim_one_verified_org_per_domain",
            ),
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")),
                name="orgs_domainclaim_domain_lowercase",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DomainClaimStatus.values),
                name="orgs_domainclaim_status",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | models.Q(verified_at__isnull=False),
                name="orgs_domainclaim_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} for {self.org} ({self.status})"

    @property
    def is_verified(self) -> bool:
        return self.status == DomainClaimStatus.VERIFIED

    @property
    def txt_name(self) -> str:
        """The DNS name the TXT record goes at: a label of ours under the domain."""
        from orgs.app_settings import app_settings

        return f"{app_settings.DOMAIN_TXT_LABEL}.{self.domain}"
