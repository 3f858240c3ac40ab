"""The A2A JWT as an identity for the actions API (caller kind `a2a`)."""

from rest_framework import authentication, exceptions

from a2a import identity, tokens
from a2a.app_settings import app_settings
from accounts.authentication import Credential, refused
from accounts.bearer import bearer_token
from config.context import A2A

CHALLENGE = 'Bearer realm="api"'


class A2AJWTAuthentication(authentication.BaseAuthentication):
    caller_kind = "a2a"

    def authenticate(self, request):
        token = bearer_token(request)
        if not identity.looks_like_jwt(token):
            return None  # a personal or static token: for the other classes
        if not app_settings.SECRET:
            raise exceptions.AuthenticationFailed("A2A authentication not configured.")
        try:
            found = identity.identity_from_claims(tokens.verify(token))
        except tokens.TokenRefused:
            raise refused(request, kind="a2a", message="Invalid A2A token.") from None
        # The org the token names (or the active one) is the org the call acts in.
        return found.user, Credential(
            caller=A2A,
            bound_org_id=found.bound_org_id,
            membership=found.membership,
            issuer=found.issuer,
        )

    def authenticate_header(self, request):
        return CHALLENGE
