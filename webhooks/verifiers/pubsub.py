"""Google Pub/Sub push: an OIDC token (RS256, Google's keys) naming our audience and
the push service account, with a verified email."""

from functools import cache

import jwt

from accounts.bearer import bearer_token
from webhooks.app_settings import app_settings
from webhooks.verifiers.base import (
    InboundEvent,
    Unverified,
    Verified,
    Verifier,
    mapping,
    text,
)

GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")


@cache
def _key_client(url: str) -> jwt.PyJWKClient:
    # Keys are cached for their lifespan; an unknown `kid` refetches the set.
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)


class PubSubVerifier(Verifier):
    name = "pubsub"
    secret_settings = ("PUBSUB_PUSH_AUDIENCE", "PUBSUB_PUSH_SERVICE_ACCOUNT")

    def check_credentials(self, request) -> None:
        audience = self.secret("PUBSUB_PUSH_AUDIENCE")
        account = self.secret("PUBSUB_PUSH_SERVICE_ACCOUNT")
        token = bearer_token(request)
        if token is None:
            raise Unverified("no bearer token")
        try:
            key = _key_client(app_settings.PUBSUB_CERTS_URL).get_signing_key_from_jwt(
                token
            )
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=audience,
                issuer=GOOGLE_ISSUERS,
                options={"require": ["exp", "iat", "iss", "aud", "email"]},
            )
        except jwt.PyJWTError as error:
            raise Unverified(f"token refused: {type(error).__name__}") from None
        if claims.get("email") != account or claims.get("email_verified") is not True:
            raise Unverified("not the push service account")

    def verify(self, request, body: bytes) -> Verified:
        message = mapping(mapping(self.payload(body)).get("message"))
        message_id = text(message.get("messageId")) or text(message.get("message_id"))
        event_type = text(mapping(message.get("attributes")).get("eventType"))
        return Verified(
            events=[InboundEvent(message_id or self.body_hash(body), event_type, body)]
        )
