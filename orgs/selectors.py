"""Reads about organizations that are more than one lookup."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from orgs import domains, tokens
from orgs.models import (
    DomainClaim,
    DomainClaimStatus,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
)


def verified_emails_of(user: User) -> set[str]:
    return {
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def verified_domains_of(user: User) -> set[str]:
    return {domains.domain_of(email) for email in verified_emails_of(user)}


def orgs_offered_by_domain(user: User) -> QuerySet[Organization]:
    """Orgs the user may join by domain: a verified claim to the domain of one of
    their verified addresses, not already theirs, and no admin removed them."""
    return (
        Organization.objects.filter(
            domain_claim__domain__in=verified_domains_of(user),
            domain_claim__status=DomainClaimStatus.VERIFIED,
        )
        .exclude(memberships__user=user)
        .exclude(removals__user=user)
        .order_by("created_at", "pk")
    )


def domain_claim_of(org: Organization) -> DomainClaim | None:
    return DomainClaim.objects.filter(org=org).first()


def verified_domain_of(org: Organization) -> str | None:
    """The domain whose people the org welcomes, once proved; else None."""
    return (
        DomainClaim.objects.filter(org=org, status=DomainClaimStatus.VERIFIED)
        .values_list("domain", flat=True)
        .first()
    )


def orgs_for_user(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user).order_by("name")


def memberships_for_user(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("org")


def membership_of(user: User, org: Organization) -> Membership | None:
    return Membership.objects.filter(user=user, org=org).first()


def members_of(org: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(org=org).select_related("user")


def pending_invitations_for_org(org: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        org=org, status=InvitationStatus.PENDING, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def pending_invitations_for(user: User) -> QuerySet[Invitation]:
    """Live invitations to any of the user's verified addresses."""
    return Invitation.objects.filter(
        email__in=verified_emails_of(user),
        status=InvitationStatus.PENDING,
        expires_at__gt=timezone.now(),
    ).select_related("org")


def invitation_by_token(secret: str) -> Invitation | None:
    """The invitation a link's secret belongs to, whatever its status."""
    if not secret.startswith(tokens.PREFIX):
        return None
    return (
        Invitation.objects.filter(token_digest=tokens.digest(secret))
        .select_related("org")
        .first()
    )


def owners_count(org: Organization) -> int:
    return Membership.objects.filter(org=org, role="owner").count()
