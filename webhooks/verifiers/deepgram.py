"""Deepgram signs nothing: the callback URL carries Basic auth, or the request's
`extra` carries a `callback_secret` that comes back in `metadata.extra`."""

from webhooks.verifiers.base import (
    InboundEvent,
    Unverified,
    Verified,
    Verifier,
    mapping,
    text,
)


class DeepgramVerifier(Verifier):
    name = "deepgram"
    secret_settings = ("DEEPGRAM_CALLBACK_SECRET",)

    def check_credentials(self, request) -> None:
        # A password that is given must be right: the body is never read for it.
        secret = self.secret()
        password = self.basic_auth_password(request)
        if password and not self.equal(password, secret):
            raise Unverified("wrong password")
        if not password and "Authorization" in request.headers:
            raise Unverified("malformed Authorization header")

    def verify(self, request, body: bytes) -> Verified:
        # Past check_credentials: the Basic auth password is right, or there is none
        # and the secret must come back in the body. Deepgram only ever sends JSON.
        payload = self.json_body(body)
        if not self.basic_auth_password(request):
            echoed = mapping(mapping(mapping(payload).get("metadata")).get("extra"))
            sent = text(echoed.get("callback_secret"))
            if not sent or not self.equal(sent, self.secret()):
                raise Unverified("no valid credentials")
        request_id = text(mapping(mapping(payload).get("metadata")).get("request_id"))
        return Verified(
            events=[
                InboundEvent(request_id or self.body_hash(body), "transcript", body)
            ]
        )
