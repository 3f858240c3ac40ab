"""What allauth's OAuth server does not keep: the org a connection acts in, and the
refresh tokens already exchanged (imported by accounts.models)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.oauth import scopes


class OAuthGrant(models.Model):
    """A user's consent for one OAuth client to act, through /mcp, in one org: the
    connected app /account/ lists. Every token of the client and user acts in the
    grant's org; one grant per client and user (consenting again replaces it)."""

    client = models.ForeignKey(
        "allauth_idp_oidc.Client", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oauth_grants"
    )
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "user"], name="accounts_oauthgrant_client_user"
            )
        ]

    def __str__(self):
        return f"{self.client_id} for user #{self.user_id}"

    def scope_descriptions(self) -> list[str]:
        """The granted scopes in words, for the account page."""
        return [scopes.DESCRIPTIONS.get(scope, scope) for scope in self.scopes]


class RotatedRefreshToken(models.Model):
    """The hash of a refresh token already exchanged for a new one. Presented again,
    it was copied (by an attacker, or the client lost track), so the grant goes
    (OAuth 2.1 §4.3.1, refresh token rotation)."""

    grant = models.ForeignKey(OAuthGrant, on_delete=models.CASCADE, related_name="+")
    hash = models.CharField(max_length=255, unique=True)
    rotated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"rotated refresh token of grant #{self.grant_id}"
