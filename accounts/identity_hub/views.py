"""Sign-in through the hub: allauth's OpenID Connect views, with the ID token held
to more than allauth asks of it.

allauth trusts an ID token fetched from the token endpoint without checking its
signature (OpenID Connect allows that over TLS); here every token's signature is
checked against the hub's published keys, whatever the transport, and so are its
nonce (this sign-in's), its `jti` (never seen), and a verified address.
"""

import jwt
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings as socialaccount_settings
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2CallbackView,
    OAuth2LoginView,
)
from allauth.socialaccount.providers.openid_connect.views import (
    OpenIDConnectOAuth2Adapter,
)
from allauth.utils import build_absolute_uri
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from accounts.identity_hub import PROVIDER_ID
from accounts.services import audit_record

# The signatures an ID token may carry: the hub's keys are RSA.
SIGNING_ALGORITHMS = ("RS256",)

# Without these an ID token says too little to sign anyone in.
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "jti", "sub", "nonce", "email")


class HubRefusal(OAuth2Error):
    """An ID token from the hub that this app does not accept; the message says
    why, for the audit log (never the token)."""


def refused(request, *, title: str, message: str, email: str = ""):
    """A sign-in through the hub that cannot go on: audited, and a page that
    says why."""
    audit_record(
        action="auth.sign_in_failed",
        metadata={"provider": PROVIDER_ID, "reason": message}
        | ({"email": email} if email else {}),
    )
    return render(
        request,
        "socialaccount/identity_hub_refused.html",
        {"title": title, "message": message},
        status=403,
    )


class IdentityHubOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    # Set by the callback view from this sign-in's state.
    expected_nonce: str | None = None

    def __init__(self, request):
        super().__init__(request, PROVIDER_ID)

    def get_callback_url(self, request, app):
        return build_absolute_uri(request, reverse(f"{PROVIDER_ID}_callback"))

    def complete_login(self, request, app, token, **kwargs):
        claims = self.verified_claims(app, kwargs["response"].get("id_token"))
        if claims.get("email_verified") is not True:
            raise ImmediateHttpResponse(
                refused(
                    request,
                    title="Verify your address first",
                    message=(
                        f"{app.name} has not verified {claims['email']}. Verify it "
                        f"there, then sign in here again."
                    ),
                    email=claims["email"],
                )
            )
        return self.get_provider().sociallogin_from_response(
            request, {"id_token": claims}
        )

    def verified_claims(self, app, id_token) -> dict:
        """The claims of `id_token` if it is the hub's, for this app, for this
        sign-in, and new; HubRefusal otherwise."""
        if not isinstance(id_token, str) or not id_token:
            raise HubRefusal("The hub sent no ID token.")
        try:
            algorithm = jwt.get_unverified_header(id_token).get("alg")
        except jwt.PyJWTError:
            raise HubRefusal("The ID token is not a JWT.") from None
        # Only what the hub says it signs with (its keys are RSA): never "none",
        # nor HMAC keyed with a public key.
        if (
            algorithm
            not in self.openid_config.get(
                "id_token_signing_alg_values_supported", SIGNING_ALGORITHMS
            )
            or algorithm not in SIGNING_ALGORITHMS
        ):
            raise HubRefusal(f"The ID token is signed with {algorithm!r}.")
        try:
            claims = jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except (OAuth2Error, KeyError, ValueError, TypeError) as error:
            # A bad signature, another audience or issuer, expired, a `jti` seen
            # before, or no usable key id.
            raise HubRefusal(f"The ID token is not valid: {error}") from None
        missing = [claim for claim in REQUIRED_CLAIMS if not claims.get(claim)]
        if missing:
            raise HubRefusal(f"The ID token lacks {', '.join(missing)}.")
        if not self.expected_nonce or not constant_time_compare(
            str(claims["nonce"]), self.expected_nonce
        ):
            raise HubRefusal("The ID token was not issued for this sign-in.")
        email = claims["email"]
        if not isinstance(email, str) or "@" not in email:
            raise HubRefusal("The ID token's address is not an address.")
        if len(email) > socialaccount_settings.UID_MAX_LENGTH:
            raise HubRefusal("The ID token's address is too long.")
        return claims


class IdentityHubCallbackView(OAuth2CallbackView):
    """allauth's callback, handing this sign-in's nonce to the adapter."""

    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.expected_nonce = (state or {}).get("nonce")
        return state, response


oauth2_login = OAuth2LoginView.adapter_view(IdentityHubOAuth2Adapter)
oauth2_callback = IdentityHubCallbackView.adapter_view(IdentityHubOAuth2Adapter)
