from django import forms

from orgs.models import Invitation, Role


class OrgNameForm(forms.Form):
    name = forms.CharField(max_length=100, label="Organization name")


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in Invitation.INVITABLE_ROLES],
        initial=Role.MEMBER,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class DomainForm(forms.Form):
    domain = forms.CharField(
        max_length=253,
        required=False,
        help_text="Once you prove it in DNS, people with a verified address at this "
        "domain may join as members. Leave empty to turn it off.",
    )


class JoinByDomainForm(forms.Form):
    org = forms.UUIDField()


class DeleteOrgForm(forms.Form):
    confirm_name = forms.CharField(label="Type the organization's name to confirm")


class OrgSwitchForm(forms.Form):
    org = forms.UUIDField()
