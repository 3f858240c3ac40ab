"""Organization actions: each one validates, then calls the service that does the change
(and checks the caller's role again, against the database)."""

from rest_framework import serializers

from accounts.models import User
from actions.fields import IdField
from actions.registry import Action, register
from config.errors import NotFound
from orgs import selectors, services
from orgs.models import Invitation, Membership, Organization, Role


class VerifiedDomainField(serializers.CharField):
    """An org's proved domain, or null: a pending claim is no domain yet."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, org):
        return selectors.verified_domain_of(org)


class OrgSerializer(serializers.ModelSerializer):
    allowed_domain = VerifiedDomainField(
        help_text="The proved domain whose people may join; null if none."
    )

    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "allowed_domain", "created_at"]


class DomainClaimSerializer(serializers.Serializer):
    domain = serializers.CharField(allow_null=True)
    status = serializers.CharField(
        allow_null=True, help_text="pending, verified, or null when there is none."
    )
    txt_name = serializers.CharField(
        allow_null=True, help_text="Where the TXT record goes."
    )
    txt_value = serializers.CharField(
        allow_null=True, source="token", help_text="The TXT record's exact value."
    )
    check = serializers.CharField(
        allow_null=True,
        source="check_outcome",
        help_text="What the last DNS check found.",
    )
    check_message = serializers.CharField(
        allow_null=True, source="get_check_outcome_display"
    )
    checked_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)


class MembershipSerializer(serializers.ModelSerializer):
    org = OrgSerializer()
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")

    class Meta:
        model = Membership
        fields = ["org", "email", "name", "role", "joined_at"]


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")

    class Meta:
        model = Membership
        fields = ["email", "name", "role", "joined_at"]


class InvitationSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.name")

    class Meta:
        model = Invitation
        fields = ["id", "org", "email", "role", "status", "created_at", "expires_at"]


class NameInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="The organization's name.")


class ConfirmNameInput(serializers.Serializer):
    confirm_name = serializers.CharField(
        max_length=100, help_text="The organization's name, typed to confirm."
    )


class OrgInput(serializers.Serializer):
    org = serializers.UUIDField(help_text="The id of an organization you belong to.")


class InviteInput(serializers.Serializer):
    email = serializers.EmailField(help_text="The address to invite.")
    role = serializers.ChoiceField(
        choices=[role.value for role in Invitation.INVITABLE_ROLES],
        default=Role.MEMBER.value,
    )


class InvitationInput(serializers.Serializer):
    invitation = IdField(help_text="The invitation's id.")


class MemberInput(serializers.Serializer):
    email = serializers.EmailField(help_text="The member's email address.")


class RoleInput(MemberInput):
    role = serializers.ChoiceField(choices=Role.values)


class DomainInput(serializers.Serializer):
    domain = serializers.CharField(
        max_length=253,
        allow_blank=True,
        allow_null=True,
        help_text="Your organization's email domain (proved next, in DNS); empty "
        "to turn joining off.",
    )


class JoinByDomainInput(serializers.Serializer):
    org = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Which offered organization; the first one if omitted.",
    )


class DoneSerializer(serializers.Serializer):
    done = serializers.BooleanField()


def _org_invitation(ctx, invitation_id) -> Invitation:
    invitation = selectors.invitation_of_org(ctx.org, invitation_id)
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def _own_invitation(ctx, invitation_id) -> Invitation:
    invitation = selectors.pending_invitation_for(ctx.user, invitation_id)
    if invitation is None:
        raise NotFound("No such invitation for you.")
    return invitation


def _member(ctx, email) -> User:
    member = selectors.member_of(ctx.org, email=email)
    if member is None:
        raise NotFound(f"{email} is not a member.")
    return member


@register
class ListOrgs(Action):
    name = "list-orgs"
    description = "List the organizations you belong to, with your role in each."
    output = MembershipSerializer
    output_many = True
    read_only = True
    tags = ("orgs",)

    def run(self, ctx, data):
        return list(selectors.memberships_for_user(ctx.user))


class CreateOrgInput(NameInput):
    switch = serializers.BooleanField(
        default=False, help_text="Also make it your active organization."
    )


@register
class CreateOrg(Action):
    name = "create-org"
    description = (
        "Create an organization; you become its owner. With `switch`, it also "
        "becomes the organization you work in, as creating one on the team page "
        "does (else only switch-org changes that)."
    )
    input = CreateOrgInput
    output = OrgSerializer
    tags = ("orgs",)

    def run(self, ctx, data):
        return services.org_create(
            user=ctx.user, name=data["name"], switch=data["switch"]
        )


@register
class RenameOrg(Action):
    name = "rename-org"
    description = "Rename the current organization (owners and admins)."
    input = NameInput
    output = OrgSerializer
    org_role = Role.ADMIN
    tags = ("orgs",)

    def run(self, ctx, data):
        return services.org_rename(org=ctx.org, actor=ctx.user, name=data["name"])


@register
class DeleteOrg(Action):
    name = "delete-org"
    description = "Delete the current organization and all its data (owners only)."
    input = ConfirmNameInput
    output = DoneSerializer
    destructive = True
    org_role = Role.OWNER
    agent_tool = False  # too destructive to offer an agent as a tool
    tags = ("orgs",)

    def run(self, ctx, data):
        services.org_delete(
            org=ctx.org,
            actor=ctx.user,
            confirm_name=data["confirm_name"],
        )
        return {"done": True}


@register
class SwitchOrg(Action):
    name = "switch-org"
    description = "Make another of your organizations the one you work in."
    input = OrgInput
    output = OrgSerializer
    tags = ("orgs",)

    def run(self, ctx, data):
        org = selectors.org_for_user(ctx.user, data["org"])
        if org is None:
            raise NotFound("No such organization.")
        services.active_org_switch(user=ctx.user, org=org)
        return org


@register
class ListMembers(Action):
    name = "list-members"
    description = "List the members of the current organization and their roles."
    output = MemberSerializer
    output_many = True
    read_only = True
    org_role = Role.MEMBER
    tags = ("orgs",)

    def run(self, ctx, data):
        return list(selectors.members_of(ctx.org))


@register
class InviteMember(Action):
    name = "invite-member"
    description = "Invite an address to the current organization (owners and admins)."
    input = InviteInput
    output = InvitationSerializer
    org_role = Role.ADMIN
    tags = ("orgs",)

    def run(self, ctx, data):
        return services.invitation_create(
            org=ctx.org,
            actor=ctx.user,
            email=data["email"],
            role=data["role"],
        )


@register
class ResendInvitation(Action):
    name = "resend-invitation"
    description = "Send a pending invitation again, with a new link and expiry."
    input = InvitationInput
    output = InvitationSerializer
    org_role = Role.ADMIN
    tags = ("orgs",)

    def run(self, ctx, data):
        invitation = _org_invitation(ctx, data["invitation"])
        return services.invitation_resend(invitation=invitation, actor=ctx.user)


@register
class RevokeInvitation(Action):
    name = "revoke-invitation"
    description = "Revoke a pending invitation to the current organization."
    input = InvitationInput
    output = InvitationSerializer
    org_role = Role.ADMIN
    tags = ("orgs",)

    def run(self, ctx, data):
        invitation = _org_invitation(ctx, data["invitation"])
        return services.invitation_revoke(invitation=invitation, actor=ctx.user)


@register
class AcceptInvitation(Action):
    name = "accept-invitation"
    description = "Accept an invitation sent to one of your verified addresses."
    input = InvitationInput
    output = MembershipSerializer
    tags = ("orgs",)

    def run(self, ctx, data):
        invitation = _own_invitation(ctx, data["invitation"])
        return services.invitation_accept(invitation=invitation, user=ctx.user)


@register
class DeclineInvitation(Action):
    name = "decline-invitation"
    description = "Decline an invitation sent to one of your verified addresses."
    input = InvitationInput
    output = InvitationSerializer
    tags = ("orgs",)

    def run(self, ctx, data):
        invitation = _own_invitation(ctx, data["invitation"])
        return services.invitation_decline(invitation=invitation, user=ctx.user)


@register
class RemoveMember(Action):
    name = "remove-member"
    description = "Remove a member from the current organization (owners and admins)."
    input = MemberInput
    output = DoneSerializer
    destructive = True
    org_role = Role.ADMIN
    tags = ("orgs",)

    def run(self, ctx, data):
        services.member_remove(
            org=ctx.org,
            actor=ctx.user,
            member=_member(ctx, data["email"]),
        )
        return {"done": True}


@register
class ChangeMemberRole(Action):
    name = "change-member-role"
    description = "Change another member's role (owners only)."
    input = RoleInput
    output = MemberSerializer
    org_role = Role.OWNER
    tags = ("orgs",)

    def run(self, ctx, data):
        return services.member_change_role(
            org=ctx.org,
            actor=ctx.user,
            member=_member(ctx, data["email"]),
            role=data["role"],
        )


@register
class TransferOwnership(Action):
    name = "transfer-ownership"
    description = (
        "Make another member the owner of the current organization; you become an "
        "admin (owners only)."
    )
    input = MemberInput
    output = MemberSerializer
    org_role = Role.OWNER
    tags = ("orgs",)

    def run(self, ctx, data):
        return services.ownership_transfer(
            org=ctx.org,
            actor=ctx.user,
            new_owner=_member(ctx, data["email"]),
        )


@register
class LeaveOrg(Action):
    name = "leave-org"
    description = "Leave the current organization (not as its last owner)."
    output = DoneSerializer
    org_role = Role.MEMBER
    tags = ("orgs",)

    def run(self, ctx, data):
        services.member_leave(org=ctx.org, user=ctx.user)
        return {"done": True}


@register
class SetAllowedDomain(Action):
    name = "set-allowed-domain"
    description = (
        "Claim an email domain for the current organization (owners and admins). "
        "It counts once proved: publish the answer's txt_value as a TXT record at "
        "txt_name, then call check-domain. Empty turns joining by domain off."
    )
    input = DomainInput
    output = DomainClaimSerializer
    org_role = Role.ADMIN
    tags = ("orgs",)

    def run(self, ctx, data):
        claim = services.org_set_allowed_domain(
            org=ctx.org, actor=ctx.user, domain=data["domain"]
        )
        # No claim: every field null (DRF reads a missing key of a dict as null).
        return claim if claim is not None else {}


@register
class CheckDomain(Action):
    name = "check-domain"
    description = (
        "Look the current organization's claimed domain up in DNS now; the answer "
        "says the claim's state (the check itself runs in the background)."
    )
    output = DomainClaimSerializer
    org_role = Role.ADMIN
    tags = ("orgs",)

    def run(self, ctx, data):
        return services.domain_claim_request_check(org=ctx.org, actor=ctx.user)


@register
class JoinByDomain(Action):
    name = "join-by-domain"
    description = (
        "Join, as a member, an organization that proved your verified email domain."
    )
    input = JoinByDomainInput
    output = MembershipSerializer
    tags = ("orgs",)

    def run(self, ctx, data):
        org = None
        if data.get("org") is not None:
            org = Organization.objects.filter(pk=data["org"]).first()
            if org is None:
                raise NotFound("No organization welcomes your verified email domain.")
        return services.org_join_by_domain(user=ctx.user, org=org)
