"""Reads about organizations that are more than one lookup."""

import re
import uuid
from contextlib import suppress
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from config.errors import NotFound
from orgs import domains, tokens
from orgs.models import (
    ActiveOrg,
    DomainClaim,
    DomainClaimStatus,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    Role,
)

# A slug (letters, digits, - and _) or a UUID, as an X-Org header or --org names one.
_ORG_REF = re.compile(r"[-\w]{1,100}", re.ASCII)


@dataclass(frozen=True)
class Addresses:
    """A user's addresses, lowercased: all of them (their allauth addresses and
    User.email), and the verified ones."""

    all: frozenset[str]
    verified: frozenset[str]


def addresses_of(user: User) -> Addresses:
    """The user's addresses, in one query. A page asks several selectors below
    about them: it reads them once and hands them in (`addresses=`)."""
    rows = EmailAddress.objects.filter(user=user).values_list("email", "verified")
    every = {email.lower() for email, _ in rows}
    verified = {email.lower() for email, is_verified in rows if is_verified}
    if user.email:
        every.add(user.email.lower())
    return Addresses(all=frozenset(every), verified=frozenset(verified))


def verified_emails_of(user: User, addresses: Addresses | None = None) -> set[str]:
    return set((addresses or addresses_of(user)).verified)


def verified_domains_of(user: User, addresses: Addresses | None = None) -> set[str]:
    return {domains.domain_of(email) for email in verified_emails_of(user, addresses)}


def orgs_offered_by_domain(
    user: User, addresses: Addresses | None = None
) -> QuerySet[Organization]:
    """Orgs the user may join by domain: a verified claim to the domain of one of
    their verified addresses, not already theirs, and no admin removed them."""
    return (
        Organization.objects.filter(
            domain_claim__domain__in=verified_domains_of(user, addresses),
            domain_claim__status=DomainClaimStatus.VERIFIED,
        )
        .exclude(memberships__user=user)
        .exclude(removals__user=user)
        .order_by("created_at", "pk")
    )


def domain_offers_awaiting_verification_for(
    user: User, addresses: Addresses | None = None
) -> list[dict]:
    """Orgs that would welcome the user by the domain of an address of theirs that
    is not verified yet: `{"org", "email"}` pairs, so the page can say which address
    to verify to join (joining takes a verified one)."""
    addresses = addresses or addresses_of(user)
    verified = addresses.verified
    unverified = sorted(addresses.all - verified)
    if not unverified:
        return []
    by_domain: dict[str, str] = {}
    for email in unverified:
        by_domain.setdefault(domains.domain_of(email), email)
    orgs = (
        Organization.objects.filter(
            domain_claim__domain__in=by_domain,
            domain_claim__status=DomainClaimStatus.VERIFIED,
        )
        .exclude(domain_claim__domain__in={domains.domain_of(e) for e in verified})
        .exclude(memberships__user=user)
        .exclude(removals__user=user)
        .select_related("domain_claim")
        .order_by("created_at", "pk")
    )
    return [{"org": org, "email": by_domain[org.domain_claim.domain]} for org in orgs]


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


def member_of(
    org: Organization, *, user_id: int | None = None, email: str | None = None
) -> User | None:
    """A member of `org`, by user id or by address (in any case); None for anyone
    else, so a page and an action find the same people."""
    members = User.objects.filter(memberships__org=org)
    if user_id is not None:
        return members.filter(pk=user_id).first()
    if email is not None:
        return members.filter(email__iexact=email).first()
    return None


def org_for_user(user: User, org_id) -> Organization | None:
    """One of the user's organizations, by id; None for an org they are not in."""
    return orgs_for_user(user).filter(pk=org_id).first()


def pending_invitations_for_org(org: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        org=org, status=InvitationStatus.PENDING, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_of_org(org: Organization, invitation_id: int) -> Invitation | None:
    """An invitation to `org`, whatever its status (its managers resend or revoke
    it); None for another org's."""
    return Invitation.objects.filter(pk=invitation_id, org=org).first()


def pending_invitation_for(user: User, invitation_id: int) -> Invitation | None:
    """One live invitation to one of the user's verified addresses."""
    return pending_invitations_for(user).filter(pk=invitation_id).first()


def pending_invitations_for(
    user: User, addresses: Addresses | None = None
) -> QuerySet[Invitation]:
    """Live invitations to any of the user's verified addresses (those they may
    accept by id: the banner, the accept-invitation action)."""
    return Invitation.objects.filter(
        email__in=verified_emails_of(user, addresses),
        status=InvitationStatus.PENDING,
        expires_at__gt=timezone.now(),
    ).select_related("org")


def emails_of(user: User, addresses: Addresses | None = None) -> set[str]:
    """Every address of the user, verified or not, lowercased: their allauth
    addresses and User.email."""
    return set((addresses or addresses_of(user)).all)


def pending_invitations_to_any_address_of(
    user: User, addresses: Addresses | None = None
) -> QuerySet[Invitation]:
    """Live invitations to any of the user's addresses, verified or not.

    Not a permission to accept (that takes a verified address, or the link): it
    says an org is waiting for them, so no workspace is made for them meanwhile,
    and the page can say which address to verify.
    """
    return (
        Invitation.objects.annotate(email_lower=Lower("email"))
        .filter(
            email_lower__in=emails_of(user, addresses),
            status=InvitationStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("org")
    )


def pending_invitations_awaiting_verification_for(
    user: User, addresses: Addresses | None = None
) -> QuerySet[Invitation]:
    """Live invitations to an address of the user's that is not verified yet: to
    accept them here, they verify it first (or open the emailed link)."""
    addresses = addresses or addresses_of(user)
    return pending_invitations_to_any_address_of(user, addresses).exclude(
        email_lower__in=addresses.verified
    )


def invitation_by_token(secret: str) -> Invitation | None:
    """The invitation a link's secret belongs to, whatever its status."""
    if not secret.startswith(tokens.PREFIX):
        return None
    return (
        Invitation.objects.filter(token_digest=tokens.digest(secret))
        .select_related("org")
        .first()
    )


def owners_of(org: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(org=org, role=Role.OWNER)


def owners_count(org: Organization) -> int:
    return owners_of(org).count()


def is_last_owner(membership: Membership | None) -> bool:
    """Whether this is the org's only owner (who may not leave, only transfer or
    delete). A hint for pages: the services decide again under a lock."""
    return (
        membership is not None
        and membership.is_owner
        and owners_count(membership.org) == 1
    )


def owned_memberships_of(user: User) -> QuerySet[Membership]:
    """The user's memberships in the orgs they own."""
    return memberships_for_user(user).filter(role=Role.OWNER)


def membership_for_call(
    user: User, *, org_ref: str | None = None, bound_org_id=None
) -> Membership | None:
    """The membership a call by `user` acts through; a read, never a change.

    In order: `org_ref` (an org's id or slug, as an API caller's `X-Org` header or the
    CLI's `--org` name it), honoured only if `user` is a member (else NotFound: an
    org's existence is not revealed); the org the credential is bound to
    (`bound_org_id`: a personal token made for one org, A2A's `org_id` claim), which
    no `org_ref` may step outside; else the user's active org. None when the user is
    in no org yet, or their active org is one they have left.
    """
    if org_ref is not None:
        membership = _membership_by_ref(user, org_ref)
        if membership is None or (
            bound_org_id is not None and str(membership.org_id) != str(bound_org_id)
        ):
            raise NotFound(f"You are not in an organization {org_ref!r}.")
        return membership
    if bound_org_id is not None:
        membership = memberships_for_user(user).filter(org_id=bound_org_id).first()
        if membership is None:
            raise NotFound("The organization this credential is for is not yours.")
        return membership
    active = ActiveOrg.objects.filter(user=user).values("org_id")[:1]
    return memberships_for_user(user).filter(org_id=active).first()


def active_org_id_of(user: User):
    """The id of the org the user last switched to (left or not); None if none."""
    return ActiveOrg.objects.filter(user=user).values_list("org_id", flat=True).first()


def _membership_by_ref(user: User, org_ref: str) -> Membership | None:
    ref = org_ref.strip()
    if not _ORG_REF.fullmatch(ref):
        return None  # no slug or id looks like this (a NUL, a 10 kB header)
    match = Q(org__slug=ref)
    with suppress(ValueError):  # not an id: a slug, or nothing
        match |= Q(org_id=uuid.UUID(ref))
    return memberships_for_user(user).filter(match).first()
