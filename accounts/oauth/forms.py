"""The consent form: allauth's (which scopes), plus the org the connection acts in."""

from allauth.idp.oidc.forms import AuthorizationForm
from django import forms

from orgs.selectors import active_org_id_of, orgs_for_user


class ConsentForm(AuthorizationForm):
    def __init__(self, *args, **kwargs):
        user = kwargs["user"]
        super().__init__(*args, **kwargs)
        orgs = orgs_for_user(user)
        self.orgs = list(orgs)
        # A chooser when there is a choice; one org is shown as text.
        widget = forms.Select if len(self.orgs) > 1 else forms.HiddenInput
        self.fields["org"] = forms.ModelChoiceField(
            queryset=orgs,
            label="Organization",
            help_text="The app acts in this organization only.",
            initial=active_org_id_of(user),
            widget=widget,
            error_messages={"required": "You are in no organization to connect."},
        )
