"""Every change to organizations, memberships and invitations. Each one is audited.

Authorization is checked here, against the database, not against what a view or an
action believes: a caller that is not a member gets NotFound (an org's existence is not
revealed), a member without the role gets PermissionDenied.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.app_settings import app_settings as accounts_settings
from accounts.models import User
from accounts.services import audit_record, email_address_verify_by_proof
from actions import throttling
from config.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from orgs import dns_lookup, domains, selectors, tokens
from orgs.app_settings import app_settings
from orgs.models import (
    ActiveOrg,
    DomainCheckOutcome,
    DomainClaim,
    DomainClaimStatus,
    Invitation,
    InvitationStatus,
    MemberRemoval,
    Membership,
    Organization,
    Role,
)
from scoping.scopes import unscoped


def _require_role(org: Organization, actor: User, least: Role) -> Membership:
    """The actor's membership of `org` if their role is `least` or above it."""
    membership = selectors.membership_of(actor, org)
    if membership is None:
        raise NotFound("No such organization.")
    if not membership.has_role(least):
        roles = [role for role in Role if role.at_least(least)]
        needed = " or ".join(str(role.label).lower() for role in roles)
        raise PermissionDenied(f"Only an {needed} of {org.name} can do this.")
    return membership


def _audit(action: str, *, actor, org, target=None, **metadata):
    target = target or org
    audit_record(
        action=action, actor=actor, org_id=org.pk, target=target, metadata=metadata
    )


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(fields={"name": ["Give the organization a name."]})
    if len(name) > Organization._meta.get_field("name").max_length:
        raise InvalidInput(fields={"name": ["The name is too long."]})
    return name


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, suffix = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


# --- Organizations --------------------------------------------------------------------


@transaction.atomic
def org_create(*, user: User, name: str, switch: bool = False) -> Organization:
    """Create an organization with `user` as its owner; with `switch`, also make it
    the one they work in (the page asks for that; an agent's call does not move
    the person's browser to another org unless it asks too).
    """
    org = Organization.objects.create(
        name=_clean_name(name), slug=_unique_slug(name), created_by=user
    )
    Membership.objects.create(org=org, user=user, role=Role.OWNER)
    _audit("org.created", actor=user, org=org, name=org.name)
    if switch:
        active_org_switch(user=user, org=org)
    return org


def org_rename(*, org: Organization, actor: User, name: str):
    _require_role(org, actor, Role.ADMIN)
    old, org.name = org.name, _clean_name(name)
    org.save(update_fields=["name"])
    _audit("org.renamed", actor=actor, org=org, old=old, new=org.name)
    return org


@transaction.atomic
def org_delete(*, org: Organization, actor: User, confirm_name: str):
    """Delete the organization and everything in it. Owners only, name typed."""
    _require_role(org, actor, Role.OWNER)
    if (confirm_name or "").strip() != org.name:
        raise InvalidInput(
            "Type the organization's name exactly to delete it.",
            fields={"confirm_name": ["This is not the organization's name."]},
        )
    _audit("org.deleted", actor=actor, org=org, name=org.name)
    _delete_with_all_its_rows(org)


def _delete_with_all_its_rows(org: Organization) -> None:
    """Delete the org and every row in it, every member's, not only the caller's."""
    with unscoped(reason=f"delete org {org.pk} and its rows", audit=False):
        org.delete()


def org_set_allowed_domain(
    *, org: Organization, actor: User, domain: str | None
) -> DomainClaim | None:
    """Claim `domain` for the org, pending until DNS proves it; None or "" drops it.

    Owners and admins only. The claim carries a fresh random token that the domain's
    owner puts in a TXT record at `claim.txt_name`; until a check finds it there,
    nobody is offered the org by that domain. Setting the domain the org already
    claims changes nothing (the token stays, so a record already added still
    counts). Free-mail, ISP and disposable domains are refused, as is a domain
    another org has proved.
    """
    _require_role(org, actor, Role.ADMIN)
    if not (domain or "").strip():
        return _domain_claim_drop(org=org, actor=actor)
    try:
        domain = domains.clean_domain(domain)
    except ValueError as error:
        raise InvalidInput(fields={"domain": [str(error)]}) from None
    if domains.is_free_mail(domain):
        raise InvalidInput(
            fields={"domain": [f"Anyone can get an address at {domain}."]}
        )
    with transaction.atomic():
        current = DomainClaim.objects.select_for_update().filter(org=org).first()
        if current is not None and current.domain == domain:
            return current
        taken = DomainClaim.objects.filter(
            domain=domain, status=DomainClaimStatus.VERIFIED
        ).exclude(org=org)
        if taken.exists():
            raise Conflict(
                f"Another organization already uses {domain}.",
                fields={"domain": ["Another organization already uses this domain."]},
            )
        if current is not None:
            current.delete()
        claim = DomainClaim.objects.create(
            org=org, domain=domain, token=tokens.domain_token(), claimed_by=actor
        )
        _audit("org.domain_claimed", actor=actor, org=org, domain=domain)
    return claim


def _domain_claim_drop(*, org: Organization, actor: User) -> None:
    claim = DomainClaim.objects.filter(org=org).first()
    if claim is not None:
        claim.delete()
        _audit("org.domain_dropped", actor=actor, org=org, domain=claim.domain)


def domain_claim_request_check(*, org: Organization, actor: User) -> DomainClaim:
    """Ask for the org's pending domain claim to be checked in DNS now (a task).

    Owners and admins only; at most ORGS_DOMAIN_CHECK_RATE per org. A verified
    claim is not checked again: it stays verified until dropped or replaced.
    """
    from orgs.tasks import check_domain_claim

    _require_role(org, actor, Role.ADMIN)
    claim = DomainClaim.objects.filter(org=org).first()
    if claim is None:
        raise NotFound("Set the organization's domain first.")
    if claim.is_verified:
        return claim
    throttling.limit(
        "domain-check",
        caller=f"org:{org.pk}",
        rate=app_settings.DOMAIN_CHECK_RATE,
        message=f"{claim.domain} was checked too often",
    )
    DomainClaim.objects.filter(pk=claim.pk).update(
        check_outcome=DomainCheckOutcome.CHECKING
    )
    claim.check_outcome = DomainCheckOutcome.CHECKING
    transaction.on_commit(lambda: check_domain_claim.delay(claim.pk))
    return claim


def domain_claim_check(*, claim: DomainClaim) -> DomainClaim:
    """Look the claim's token up in DNS; found, the claim is verified.

    Anything else (no record, another token, NXDOMAIN, a timeout, a DNS failure)
    leaves it pending with the outcome recorded. The lookup runs outside any
    transaction; the result applies only if the claim is still the same one.
    """
    outcome = dns_lookup.find_token(claim.txt_name, claim.token)
    with transaction.atomic():
        current = (
            DomainClaim.objects.select_for_update()
            .filter(pk=claim.pk, token=claim.token, domain=claim.domain)
            .select_related("org")
            .first()
        )
        if current is None or current.is_verified:
            return current or claim  # replaced, dropped or verified meanwhile
        current.checked_at = timezone.now()
        if outcome == DomainCheckOutcome.FOUND:
            return _domain_claim_verify(current)
        current.check_outcome = outcome
        current.save(update_fields=["check_outcome", "checked_at"])
        return current


def _domain_claim_verify(claim: DomainClaim) -> DomainClaim:
    claim.status = DomainClaimStatus.VERIFIED
    claim.check_outcome = DomainCheckOutcome.FOUND
    claim.verified_at = claim.checked_at
    try:
        with transaction.atomic():
            claim.save(
                update_fields=["status", "check_outcome", "checked_at", "verified_at"]
            )
    except IntegrityError:
        # Another org proved the domain first (both may hold a record): this one
        # stays pending, and says so.
        claim.status = DomainClaimStatus.PENDING
        claim.verified_at = None
        claim.check_outcome = DomainCheckOutcome.TAKEN
        claim.save(update_fields=["check_outcome", "checked_at"])
        return claim
    _audit("org.domain_verified", actor=None, org=claim.org, domain=claim.domain)
    return claim


# --- Invitations ----------------------------------------------------------------------


def _invitation_expiry():
    return timezone.now() + timedelta(days=app_settings.INVITATION_TTL_DAYS)


def invitation_create(
    *, org: Organization, actor: User, email: str, role: str = Role.MEMBER
) -> Invitation:
    """Invite `email`; the email with the link goes out from a task after commit."""
    from orgs.tasks import send_invitation_email

    _require_role(org, actor, Role.ADMIN)
    email = User.objects.normalize_email(email)
    if "@" not in email:
        raise InvalidInput(fields={"email": ["Enter an email address."]})
    if role not in Invitation.INVITABLE_ROLES:
        raise InvalidInput(fields={"role": ["Invite as a member or an admin."]})
    if Membership.objects.filter(org=org, user__email__iexact=email).exists():
        raise Conflict(
            f"{email} is already a member.", fields={"email": ["Already a member."]}
        )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                org=org,
                email=email,
                role=role,
                invited_by=actor,
                expires_at=_invitation_expiry(),
            )
            _audit(
                "invitation.created",
                actor=actor,
                org=org,
                target=invitation,
                email=email,
                role=role,
            )
            transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk))
    except IntegrityError:
        raise Conflict(
            f"{email} already has a pending invitation.",
            fields={"email": ["Already invited."]},
        ) from None
    return invitation


def _pending_invitation_of(org_invitation: Invitation, actor: User) -> Invitation:
    _require_role(org_invitation.org, actor, Role.ADMIN)
    if org_invitation.status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation is {org_invitation.status}.")
    return org_invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User):
    """Send a fresh link (the old one stops working) with a fresh expiry.

    At most ORGS_INVITATION_RESEND_RATE times per invitation (Throttled past it),
    whoever asks: each resend emails the invitee.
    """
    from orgs.tasks import send_invitation_email

    invitation = _pending_invitation_of(invitation, actor)
    throttling.limit(
        "invitation-resend",
        caller=f"invitation:{invitation.pk}",
        rate=app_settings.INVITATION_RESEND_RATE,
        message=f"The invitation to {invitation.email} was sent again too often",
    )
    invitation.expires_at = _invitation_expiry()
    invitation.save(update_fields=["expires_at"])
    _audit(
        "invitation.resent",
        actor=actor,
        org=invitation.org,
        target=invitation,
        email=invitation.email,
    )
    transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk))
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: User):
    invitation = _pending_invitation_of(invitation, actor)
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status"])
    _audit(
        "invitation.revoked",
        actor=actor,
        org=invitation.org,
        target=invitation,
        email=invitation.email,
    )
    return invitation


def invitation_issue_link(*, invitation: Invitation) -> str:
    """Mint the link's secret, keep only its hash, and return the secret.

    Called by the task that sends the email, so the secret never crosses the broker;
    issuing again (resend) makes the previous link stop working.
    """
    secret = tokens.new_secret()
    invitation.token_digest = tokens.digest(secret)
    invitation.save(update_fields=["token_digest"])
    return secret


def _expire_if_past(invitation: Invitation) -> None:
    """Mark the invitation expired if it is; kept even when the caller then refuses.

    Call it outside the transaction that may roll back with the refusal.
    """
    Invitation.objects.filter(
        pk=invitation.pk,
        status=InvitationStatus.PENDING,
        expires_at__lte=timezone.now(),
    ).update(status=InvitationStatus.EXPIRED)


def _require_pending(invitation: Invitation) -> None:
    if invitation.status == InvitationStatus.PENDING and invitation.is_expired:
        raise Conflict("This invitation is expired; ask for a new one.")
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation is {invitation.status}; ask for a new one.")


def _usable_invitation_for(invitation: Invitation, user: User) -> Invitation:
    """Refuse an invitation that is not pending, has expired, or is not the user's."""
    _require_pending(invitation)
    addresses = selectors.addresses_of(user)
    if invitation.email.lower() not in addresses.verified:
        if invitation.email.lower() in addresses.all:
            raise PermissionDenied(
                f"This invitation is for {invitation.email}, which is not verified "
                "yet. Verify it (we can send you a code), or accept from the "
                "link in the invitation email."
            )
        raise PermissionDenied(
            f"This invitation is for {invitation.email}. Sign in with that address, "
            "verified, to accept it."
        )
    return invitation


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the org. Single use; only for the invited, verified address.

    The user's active org changes only if they had none. An invitation is how an
    admin takes back someone they removed: accepting it lifts the removal, so the
    org's domain lets them in again should they leave later.
    """
    _expire_if_past(invitation)
    with transaction.atomic():
        # Locked, so two accepts of one link cannot both pass the status check.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        return _accept_locked(invitation, user)


def _accept_locked(invitation: Invitation, user: User) -> Membership:
    invitation = _usable_invitation_for(invitation, user)
    membership, _ = Membership.objects.get_or_create(
        org=invitation.org, user=user, defaults={"role": invitation.role}
    )
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_by"])
    MemberRemoval.objects.filter(org=invitation.org, user=user).delete()
    ActiveOrg.objects.get_or_create(user=user, defaults={"org": invitation.org})
    _audit(
        "invitation.accepted",
        actor=user,
        org=invitation.org,
        target=invitation,
        role=membership.role,
    )
    return membership


def invitation_accept_by_link(*, secret: str, user: User) -> Membership:
    """Join the org from the emailed link's secret, and switch to it.

    Where sign-up skips email verification (accounts' AUTH_SKIP_EMAIL_VERIFICATION:
    local, QA), holding the link proves the invited mailbox: if the invited
    address is the user's own (an address of theirs not verified yet, or their
    User.email), it is marked verified, then the usual rule applies. Elsewhere a
    link may have been forwarded to someone who added the address unverified, so
    the address must already be verified, as for `invitation_accept`.
    """
    invitation = selectors.invitation_by_token(secret)
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    _expire_if_past(invitation)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if accounts_settings.AUTH_SKIP_EMAIL_VERIFICATION:
            # Only a usable invitation proves anything: a used or expired link
            # verifies no address.
            _require_pending(invitation)
            if invitation.email.lower() in selectors.emails_of(user):
                email_address_verify_by_proof(
                    user=user, email=invitation.email, proof="invitation_link"
                )
        membership = _accept_locked(invitation, user)
        if selectors.active_org_id_of(user) != invitation.org_id:
            active_org_switch(user=user, org=invitation.org)
    return membership


def invitation_decline(*, invitation: Invitation, user: User):
    _expire_if_past(invitation)
    invitation.refresh_from_db()
    invitation = _usable_invitation_for(invitation, user)
    invitation.status = InvitationStatus.DECLINED
    invitation.save(update_fields=["status"])
    _audit(
        "invitation.declined",
        actor=user,
        org=invitation.org,
        target=invitation,
    )
    return invitation


def invitations_expire() -> int:
    """Mark pending invitations past their expiry as expired; return how many."""
    return Invitation.objects.filter(
        status=InvitationStatus.PENDING, expires_at__lte=timezone.now()
    ).update(status=InvitationStatus.EXPIRED)


# --- Members --------------------------------------------------------------------------


def _last_owner(membership: Membership) -> bool:
    return membership.is_owner and selectors.owners_count(membership.org) == 1


def _lock_members(org: Organization) -> None:
    """Hold the org's memberships until the transaction ends.

    The last-owner rule counts the owners and then changes one: without the lock two
    owners leaving, or demoting each other, at once would each see the other and
    leave the org with none. The services below lock first and read roles after.
    """
    list(
        Membership.objects.select_for_update()
        .filter(org=org)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def member_leave(*, org: Organization, user: User) -> None:
    """Leave the org (not as its last owner).

    Leaving is the member's own choice, not the org's judgement, so nothing bars
    them: if the org's proved domain is theirs, it is offered to them again.
    """
    _lock_members(org)
    membership = _require_role(org, user, Role.MEMBER)
    if _last_owner(membership):
        raise Conflict(
            "You are the last owner: transfer ownership or delete the organization."
        )
    membership.delete()
    ActiveOrg.objects.filter(user=user, org=org).delete()
    _audit("member.left", actor=user, org=org)


@transaction.atomic
def member_remove(*, org: Organization, actor: User, member: User) -> None:
    """Owners remove anyone but themselves; admins remove members and admins.

    The removal is kept: the org's domain no longer offers it to them; only an
    invitation they accept brings them back.
    """
    _lock_members(org)
    acting = _require_role(org, actor, Role.ADMIN)
    if member == actor:
        raise InvalidInput("To remove yourself, leave the organization.")
    target = selectors.membership_of(member, org)
    if target is None:
        raise NotFound("No such member.")
    if not acting.may_remove(target):
        raise PermissionDenied("Only an owner can remove an owner.")
    if _last_owner(target):
        raise Conflict("The organization needs an owner.")
    target.delete()
    MemberRemoval.objects.update_or_create(
        org=org,
        user=member,
        defaults={"removed_by": actor, "removed_at": timezone.now()},
    )
    ActiveOrg.objects.filter(user=member, org=org).delete()
    _audit(
        "member.removed",
        actor=actor,
        org=org,
        member=member.email,
        role=target.role,
    )


@transaction.atomic
def member_change_role(
    *, org: Organization, actor: User, member: User, role: str
) -> Membership:
    """Owners change others' roles (member, admin, owner); nobody changes their own."""
    _lock_members(org)
    _require_role(org, actor, Role.OWNER)
    if role not in Role.values:
        raise InvalidInput(fields={"role": ["Choose owner, admin or member."]})
    if member == actor:
        raise PermissionDenied("Nobody changes their own role.")
    target = selectors.membership_of(member, org)
    if target is None:
        raise NotFound("No such member.")
    if role != Role.OWNER and _last_owner(target):
        raise Conflict("The organization needs an owner.")
    old, target.role = target.role, role
    target.save(update_fields=["role"])
    _audit(
        "member.role_changed",
        actor=actor,
        org=org,
        member=member.email,
        old=old,
        new=role,
    )
    return target


@transaction.atomic
def ownership_transfer(
    *, org: Organization, actor: User, new_owner: User
) -> Membership:
    """Make `new_owner` an owner and the acting owner an admin."""
    _lock_members(org)
    acting = _require_role(org, actor, Role.OWNER)
    target = selectors.membership_of(new_owner, org)
    if target is None:
        raise NotFound("No such member.")
    if target == acting:
        raise InvalidInput("You already own this organization.")
    target.role = Role.OWNER
    target.save(update_fields=["role"])
    acting.role = Role.ADMIN
    acting.save(update_fields=["role"])
    _audit(
        "org.ownership_transferred",
        actor=actor,
        org=org,
        new_owner=new_owner.email,
    )
    return target


# --- The org a request acts in --------------------------------------------------------


def active_org_switch(*, user: User, org: Organization) -> Membership:
    membership = _require_role(org, user, Role.MEMBER)
    ActiveOrg.objects.update_or_create(user=user, defaults={"org": org})
    _audit("org.switched", actor=user, org=org)
    return membership


@transaction.atomic
def org_join_by_domain(*, user: User, org: Organization | None = None) -> Membership:
    """Join, as a member, an org offered to the user by domain: `org`, or the first.

    Asked for explicitly (a button, the join-by-domain action), never done for them.
    Offered means a verified claim to the domain of one of the user's verified
    addresses, and no removal from that org. NotFound if none is offered. The
    user's active org changes only if they had none.
    """
    offered = selectors.orgs_offered_by_domain(user)
    if org is not None:
        offered = offered.filter(pk=org.pk)
    target = offered.first()
    if target is None:
        raise NotFound("No organization welcomes your verified email domain.")
    membership, created = Membership.objects.select_related("org").get_or_create(
        org=target, user=user, defaults={"role": Role.MEMBER}
    )
    if created:
        _audit("member.joined_by_domain", actor=user, org=target)
    ActiveOrg.objects.get_or_create(user=user, defaults={"org": target})
    return membership


def active_org_ensure(*, user: User) -> Membership | None:
    """Give `user` an active org on first use, and return their membership of it.

    The first of their memberships; else, unless an invitation is pending, an org
    is offered to them by their email domain (the banner offers both: joining is
    their choice, never made for them) or AUTO_CREATE_DEFAULT_ORG is off, a new
    workspace (`org_create_default`). None when they are to have none yet.
    Called by `orgs.context.caller_context` only, when the read found no active org.
    """
    with transaction.atomic():
        # Lock the user's row: a concurrent first request waits here, then finds the
        # membership this one made instead of creating a second workspace.
        User.objects.select_for_update().filter(pk=user.pk).first()
        first = selectors.memberships_for_user(user).first()
        membership = first or org_create_default(user=user)
        if membership is not None:
            ActiveOrg.objects.update_or_create(
                user=user, defaults={"org": membership.org}
            )
        return membership


def default_org_name(user: User) -> str:
    """ "<name>'s workspace", the name cut to fit: a sign-up's name may be longer
    than an org's."""
    suffix = "'s workspace"
    room = Organization._meta.get_field("name").max_length - len(suffix)
    return user.get_short_name().strip()[:room].rstrip() + suffix


def org_create_default(*, user: User) -> Membership | None:
    """Create "<name>'s workspace", owned by `user`, for their first use; None when
    AUTO_CREATE_DEFAULT_ORG is off, an invitation is waiting for any of their
    addresses (verified or not), or an org welcomes one of their addresses by its
    domain (verified or not: the banner offers to join, or to verify first; they
    may be about to join an org, not to need one of their own)."""
    if not app_settings.AUTO_CREATE_DEFAULT_ORG:
        return None
    # Any address, verified or not: with verification skipped nothing is verified
    # yet, and the invitee who signs up from the link is about to join that org.
    if selectors.pending_invitations_to_any_address_of(user).exists():
        return None
    if selectors.orgs_offered_by_domain(user).exists():
        return None
    if selectors.domain_offers_awaiting_verification_for(user):
        return None
    org = org_create(user=user, name=default_org_name(user))
    return selectors.memberships_for_user(user).get(org=org)
