"""Celery tasks for organizations: load by id, call a service, send."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from orgs import services
from orgs.models import DomainClaim, DomainClaimStatus, Invitation, InvitationStatus


@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_invitation_email(invitation_id: int) -> None:
    """Mint a fresh link for a pending invitation and email it to the invitee."""
    invitation = (
        Invitation.objects.select_related("org", "invited_by")
        .filter(pk=invitation_id, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        return  # revoked, accepted or deleted meanwhile: nothing to send
    secret = services.invitation_issue_link(invitation=invitation)
    context = {
        "invitation": invitation,
        "link": f"{settings.APP_URL}/invitations/{secret}/",
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] You are invited to {invitation.org.name}",
        message=render_to_string("orgs/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


@shared_task
def expire_invitations() -> int:
    return services.invitations_expire()


@shared_task(acks_late=True)
def check_domain_claim(claim_id: int) -> None:
    """Look a pending domain claim's token up in DNS; verify the claim if found."""
    claim = (
        DomainClaim.objects.select_related("org")
        .filter(pk=claim_id, status=DomainClaimStatus.PENDING)
        .first()
    )
    if claim is None:
        return  # dropped, replaced or verified meanwhile
    services.domain_claim_check(claim=claim)
