"""Team pages: members, invitations, the domain setting, and the invitation link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.app_settings import app_settings as accounts_settings
from accounts.models import User
from config.errors import ApplicationError
from config.pages import attach_error, flash_error, flash_form_errors
from orgs import selectors, services
from orgs.forms import (
    DeleteOrgForm,
    DomainForm,
    InviteForm,
    JoinByDomainForm,
    OrgNameForm,
    OrgSwitchForm,
    RoleForm,
)
from orgs.models import Invitation, Organization


def _run(request, change, *, success: str, to: str = "orgs:team"):
    """Call a service; report its outcome as a flash message; go back to `to`."""
    try:
        change()
    except ApplicationError as error:
        flash_error(request, error)
    else:
        messages.success(request, success)
    return redirect(to)


def _current_org(request) -> Organization:
    if request.org is None:
        raise Http404("You are not in an organization yet.")
    return request.org


def _team_page(request, *, status: int = 200, **bound_forms):
    """The team page; a form that failed comes back bound, errors next to fields."""
    org, membership = request.org, request.membership
    context = {"org": org, "membership": membership}
    if org is not None:
        members = list(selectors.members_of(org))
        claim = selectors.domain_claim_of(org)
        context |= {
            "domain_claim": claim,
            "members": members,
            # Who the caller may remove: the service's own rule, asked per row.
            "removable": {m.pk for m in members if membership.may_remove(m)},
            # The last owner is offered transfer or delete, not a Leave that fails.
            "is_last_owner": selectors.is_last_owner(membership),
            "invitations": selectors.pending_invitations_for_org(org),
            "invite_form": InviteForm(prefix="invite"),
            "rename_form": OrgNameForm(prefix="rename", initial={"name": org.name}),
            "domain_form": DomainForm(
                prefix="domain", initial={"domain": claim.domain if claim else ""}
            ),
            "delete_form": DeleteOrgForm(prefix="delete"),
            "role_form": RoleForm(prefix="role"),
        }
    context["create_form"] = OrgNameForm(prefix="create")
    context |= bound_forms
    return render(request, "orgs/team.html", context, status=status)


def _submit(request, form_key: str, form, change, *, success, to="orgs:team"):
    """Validate `form`, run `change(cleaned_data)`; on failure show the page again with
    the errors next to the form's fields, on success a message and a redirect."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ApplicationError as error:
            attach_error(form, error)
        else:
            messages.success(request, success(form.cleaned_data))
            return redirect(to)
    return _team_page(request, status=400, **{form_key: form})


@require_GET
def team(request):
    return _team_page(request)


@require_POST
def org_create(request):
    return _submit(
        request,
        "create_form",
        OrgNameForm(request.POST, prefix="create"),
        lambda data: services.org_create(
            user=request.user, name=data["name"], switch=True
        ),
        success=lambda data: f"{data['name']} is created; you are working in it.",
    )


@require_POST
def org_rename(request):
    org = _current_org(request)
    return _submit(
        request,
        "rename_form",
        OrgNameForm(request.POST, prefix="rename"),
        lambda data: services.org_rename(
            org=org, actor=request.user, name=data["name"]
        ),
        success=lambda data: "The organization is renamed.",
    )


@require_POST
def org_delete(request):
    org = _current_org(request)
    name = org.name
    return _submit(
        request,
        "delete_form",
        DeleteOrgForm(request.POST, prefix="delete"),
        lambda data: services.org_delete(
            org=org,
            actor=request.user,
            confirm_name=data["confirm_name"],
        ),
        success=lambda data: f"{name} is deleted.",
    )


@require_POST
def org_set_domain(request):
    org = _current_org(request)

    def saved(data):
        if not data["domain"]:
            return "Joining by domain is off."
        return "The domain is claimed: prove it with the TXT record shown below."

    return _submit(
        request,
        "domain_form",
        DomainForm(request.POST, prefix="domain"),
        lambda data: services.org_set_allowed_domain(
            org=org, actor=request.user, domain=data["domain"]
        ),
        success=saved,
    )


@require_POST
def domain_check(request):
    org = _current_org(request)
    return _run(
        request,
        lambda: services.domain_claim_request_check(org=org, actor=request.user),
        success="The DNS check is on its way; reload this page in a moment.",
    )


@require_POST
def join_by_domain(request):
    """The banner's and the team page's Join button: the user's explicit choice."""
    data = flash_form_errors(request, JoinByDomainForm(request.POST))
    if data is None:
        return redirect("home")
    offered = selectors.orgs_offered_by_domain(request.user)
    org = offered.filter(pk=data["org"]).first()
    if org is None:  # already joined (a second click), removed, or never offered
        messages.error(request, "No organization welcomes your verified email domain.")
        return redirect("home")
    return _run(
        request,
        lambda: services.org_join_by_domain(user=request.user, org=org),
        success=f"You joined {org.name}.",
        to="home",
    )


@require_POST
def org_switch(request):
    data = flash_form_errors(request, OrgSwitchForm(request.POST))
    if data is None:
        return redirect("home")
    org = selectors.org_for_user(request.user, data["org"])
    if org is None:
        raise Http404("No such organization.")
    return _run(
        request,
        lambda: services.active_org_switch(user=request.user, org=org),
        success=f"You are now working in {org.name}.",
        to="home",
    )


@require_POST
def invite(request):
    org = _current_org(request)
    return _submit(
        request,
        "invite_form",
        InviteForm(request.POST, prefix="invite"),
        lambda data: services.invitation_create(
            org=org,
            actor=request.user,
            email=data["email"],
            role=data["role"],
        ),
        success=lambda data: f"An invitation is on its way to {data['email']}.",
    )


def _org_invitation(request, invitation_id: int) -> Invitation:
    invitation = selectors.invitation_of_org(_current_org(request), invitation_id)
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


@require_POST
def invitation_resend(request, invitation_id: int):
    invitation = _org_invitation(request, invitation_id)
    return _run(
        request,
        lambda: services.invitation_resend(invitation=invitation, actor=request.user),
        success=f"A new link is on its way to {invitation.email}.",
    )


@require_POST
def invitation_revoke(request, invitation_id: int):
    invitation = _org_invitation(request, invitation_id)
    return _run(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        success=f"The invitation to {invitation.email} is revoked.",
    )


def _org_member(request, user_id: int) -> User:
    member = selectors.member_of(_current_org(request), user_id=user_id)
    if member is None:
        raise Http404("No such member.")
    return member


@require_POST
def member_remove(request, user_id: int):
    member = _org_member(request, user_id)
    return _run(
        request,
        lambda: services.member_remove(
            org=request.org, actor=request.user, member=member
        ),
        success=f"{member.email} is removed.",
    )


@require_POST
def member_change_role(request, user_id: int):
    member = _org_member(request, user_id)
    data = flash_form_errors(request, RoleForm(request.POST, prefix="role"))
    if data is None:
        return redirect("orgs:team")
    return _run(
        request,
        lambda: services.member_change_role(
            org=request.org,
            actor=request.user,
            member=member,
            role=data["role"],
        ),
        success=f"{member.email} is now {data['role']}.",
    )


@require_POST
def ownership_transfer(request, user_id: int):
    member = _org_member(request, user_id)
    return _run(
        request,
        lambda: services.ownership_transfer(
            org=request.org, actor=request.user, new_owner=member
        ),
        success=f"{member.email} now owns the organization; you are an admin.",
    )


@require_POST
def leave(request):
    org = _current_org(request)
    return _run(
        request,
        lambda: services.member_leave(org=org, user=request.user),
        success=f"You left {org.name}.",
        to="home",
    )


# --- Invitations as the invitee sees them ---------------------------------------------


@login_not_required
@require_GET
def invitation_landing(request, secret: str):
    """The link from the email. Signed out: sign in or up, then come back here."""
    invitation = selectors.invitation_by_token(secret)
    response = render(
        request,
        "orgs/invitation.html",
        {
            "invitation": invitation,
            "secret": secret,
            "next": request.path,
            "address": _invited_address_state(request.user, invitation),
            "link_proves_mailbox": accounts_settings.AUTH_SKIP_EMAIL_VERIFICATION,
        },
        status=200 if invitation is not None else 404,
    )
    # The path is a secret: keep it out of caches.
    response["Cache-Control"] = "no-store"
    return response


def _invited_address_state(user, invitation: Invitation | None) -> str:
    """How the invited address stands for the signed-in user: "verified", "unverified"
    (theirs, not verified yet), "other" (not theirs), or "" (signed out, no link)."""
    if invitation is None or not user.is_authenticated:
        return ""
    email = invitation.email.lower()
    addresses = selectors.addresses_of(user)
    if email in addresses.verified:
        return "verified"
    if email in addresses.all:
        return "unverified"
    return "other"


def _invitation_from_link(secret: str) -> Invitation:
    invitation = selectors.invitation_by_token(secret)
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    return invitation


@require_POST
def invitation_accept_link(request, secret: str):
    """Accept from the emailed link: the link is the proof of the mailbox where
    verification is skipped (the service decides), and the org joined becomes the
    active one. Refused, the link's page says why and what to do."""
    invitation = _invitation_from_link(secret)
    try:
        services.invitation_accept_by_link(secret=secret, user=request.user)
    except ApplicationError as error:
        flash_error(request, error)
        response = redirect("orgs:invitation", secret=secret)
        response["Cache-Control"] = "no-store"
        return response
    messages.success(request, f"You joined {invitation.org.name}.")
    return redirect("home")


@require_POST
def invitation_decline_link(request, secret: str):
    invitation = _invitation_from_link(secret)
    return _decline(request, invitation)


def _own_invitation(request, invitation_id: int) -> Invitation:
    """An invitation from the banner: to one of the user's verified addresses."""
    invitation = selectors.pending_invitation_for(request.user, invitation_id)
    if invitation is None:
        raise Http404("No such invitation for you.")
    return invitation


@require_POST
def invitation_accept(request, invitation_id: int):
    return _accept(request, _own_invitation(request, invitation_id))


@require_POST
def invitation_decline(request, invitation_id: int):
    return _decline(request, _own_invitation(request, invitation_id))


def _accept(request, invitation: Invitation):
    return _run(
        request,
        lambda: services.invitation_accept(invitation=invitation, user=request.user),
        success=f"You joined {invitation.org.name}.",
        to="home",
    )


def _decline(request, invitation: Invitation):
    return _run(
        request,
        lambda: services.invitation_decline(invitation=invitation, user=request.user),
        success=f"You declined the invitation to {invitation.org.name}.",
        to="home",
    )
