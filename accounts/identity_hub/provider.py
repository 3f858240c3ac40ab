"""The identity hub as an allauth provider: allauth's OpenID Connect provider,
with a nonce in every sign-in and a user known by email address only."""

from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
)
from django.utils.crypto import get_random_string

from accounts.identity_hub import PROVIDER_ID
from accounts.identity_hub.views import IdentityHubOAuth2Adapter

# The claims the app keeps of an ID token (as the account's extra data): who the
# user is, in the hub's words. The hub's user id, roles or orgs are not among them.
KEPT_CLAIMS = ("iss", "email", "email_verified", "email_domain", "name")


class IdentityHubProvider(OpenIDConnectProvider):
    id = PROVIDER_ID
    name = "Identity hub"
    oauth2_adapter_class = IdentityHubOAuth2Adapter
    # An ID token is taken only from the hub's token endpoint, in a sign-in this
    # app began: never one a client hands over (allauth's token sign-in).
    supports_token_authentication = False

    def get_login_url(self, request, **kwargs):
        return OAuth2Provider.get_login_url(self, request, **kwargs)

    def get_callback_url(self):
        return OAuth2Provider.get_callback_url(self)

    def get_oauth2_adapter(self, request):
        return self.oauth2_adapter_class(request)

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """allauth's redirect to the hub, with a nonce the ID token must return
        (kept in this sign-in's state: a token minted for any other sign-in,
        replayed here, lacks it)."""
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        return super().redirect(
            request,
            process,
            next_url,
            data,
            auth_params=auth_params,
            nonce=nonce,
            **kwargs,
        )

    def extract_uid(self, data):
        # The address, not the hub's user id: the link between a hub user and a
        # user here is the verified address and nothing else.
        return data["id_token"]["email"].lower()

    def extract_extra_data(self, data):
        claims = data["id_token"]
        return {"id_token": {k: claims[k] for k in KEPT_CLAIMS if k in claims}}


provider_classes = [IdentityHubProvider]
