from allauth.mfa.models import Authenticator
from allauth.socialaccount.admin import SocialAppAdmin as AllauthSocialAppAdmin
from allauth.socialaccount.admin import SocialAppForm as AllauthSocialAppForm
from allauth.socialaccount.models import SocialApp, SocialToken
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import crypto
from accounts.models import ApiToken, AuditEvent, OAuthToken, Secret, User
from accounts.oauth import admin as oauth_admin  # noqa: F401  (registration)
from accounts.ownership import owner_email_move
from config.admin import ReadOnlyAdmin, RecordAdmin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    date_hierarchy = "date_joined"
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The admin's change view runs in one transaction: a new address and the
        # rows it takes over commit together, as with allauth's primary address.
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data:
            owner_email_move(
                user=obj, old_email=form.initial["email"], new_email=obj.email
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "key_id",
        "bound_org",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "bound_org"]
    search_fields = ["name", "user__email", "key_id"]
    date_hierarchy = "created_at"
    # The digest is not a secret one can use, but there is no reason to show it.
    exclude = ["digest"]
    # Only revoking is left to staff; which org a token acts in is fixed at creation.
    readonly_fields = [
        "user",
        "name",
        "key_id",
        "bound_org",
        "created_at",
        "last_used_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(RecordAdmin):
    """Read-only: the audit log is written by `audit_record` and never edited."""

    list_display = [
        "created_at",
        "action",
        "actor_label",
        "target_type",
        "target_id",
        "caller",
        "ip",
    ]
    list_filter = ["action", "caller", "target_type"]
    search_fields = ["actor_label", "action", "target_id", "request_id", "org_id"]
    date_hierarchy = "created_at"


@admin.register(Secret)
class SecretAdmin(RecordAdmin):
    """Names and masked tails only: the value never leaves the server whole. Set
    and deleted through `accounts.secrets` (audited), by their owners."""

    list_display = ["name", "scope", "scope_id", "masked", "updated_at"]
    list_filter = ["scope"]
    search_fields = ["name", "scope_id"]
    fields = [
        "name",
        "scope",
        "scope_id",
        "masked",
        "url_allowlist",
        "revision",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description="Value")
    def masked(self, secret):
        try:
            return crypto.mask(crypto.decrypt(secret.value, bound_to=secret.bound_to))
        except crypto.DecryptionError:
            return "(cannot be decrypted with the configured keys)"


@admin.register(OAuthToken)
class OAuthTokenAdmin(RecordAdmin):
    """Which accounts are connected; the (encrypted) token itself is never shown.
    Saved by `accounts.secrets.oauth_token_save` for the signed-in owner only."""

    list_display = ["provider", "account_id", "owner_email", "org_id", "updated_at"]
    list_filter = ["provider"]
    search_fields = ["provider", "account_id", "owner_email"]
    fields = readonly_fields = [
        "provider",
        "account_id",
        "owner_email",
        "org_id",
        "revision",
        "updated_at",
    ]


# The sign-in libraries' own admin pages, made safe for this project: allauth's show
# an authenticator's (sealed) TOTP secret, a social token and a social app's client
# secret in full, and the sessions' search asks for a `username` our user model does
# not have (a 500). They are replaced here, next to the user model they describe.


admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    """Who is signed in where (the session key, a live credential, is not a field)."""

    list_display = ["user", "created_at", "last_seen_at", "ip", "user_agent"]
    list_select_related = ["user"]
    search_fields = ["user__email", "ip", "user_agent"]
    date_hierarchy = "last_seen_at"
    fields = readonly_fields = [
        "user",
        "created_at",
        "last_seen_at",
        "ip",
        "user_agent",
    ]


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    """A user's second factors; deleting one resets it. Their secrets stay hidden."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_select_related = ["user"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = readonly_fields = ["user", "type", "created_at", "last_used_at"]


admin.site.unregister(SocialToken)


@admin.register(SocialToken)
class SocialTokenAdmin(ReadOnlyAdmin):
    """Stored only with SOCIALACCOUNT_STORE_TOKENS; the tokens are never shown."""

    list_display = ["account", "app", "expires_at"]
    list_select_related = ["account__user", "app"]
    list_filter = ["app__provider", "expires_at"]
    search_fields = ["account__uid", "account__user__email"]
    fields = readonly_fields = ["app", "account", "expires_at"]


class SocialAppForm(AllauthSocialAppForm):
    """The client secret is write-only: typed in, never rendered back."""

    secret = forms.CharField(
        label="Secret key",
        required=False,
        max_length=191,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password"}
        ),
        help_text="API secret, client secret, or consumer secret. Never shown once "
        "stored: leave empty to keep the stored one, type a new one to replace it.",
    )

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or self.instance.secret


admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class SocialAppAdmin(AllauthSocialAppAdmin):
    """Social sign-in apps kept in the database (settings are the usual place)."""

    form = SocialAppForm
    search_fields = ["name", "provider", "client_id"]
