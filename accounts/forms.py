from django import forms

from accounts.models import User


class SignupDetailsForm(forms.Form):
    """Extra sign-up fields, added by allauth to its own sign-up form."""

    name = forms.CharField(max_length=150, required=False, label="Your name")

    def signup(self, request, user: User) -> None:
        user.name = self.cleaned_data.get("name", "").strip()
        user.save(update_fields=["name"])


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=150, required=False, label="Your name")


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="Say where it is used."
    )
    org = forms.ChoiceField(
        label="Organization",
        required=False,
        help_text="A token made for one organization acts only in it.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        memberships = user.memberships.select_related("org").order_by("org__name")
        self.fields["org"].choices = [
            ("", "Whichever I have switched to"),
            *((str(m.org_id), m.org.name) for m in memberships),
        ]


class AccountDeleteForm(forms.Form):
    confirm_email = forms.CharField(label="Type your email address to confirm")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        typed = self.cleaned_data["confirm_email"].strip().lower()
        if typed != self.user.email.lower():
            raise forms.ValidationError("This is not your email address.")
        return typed
