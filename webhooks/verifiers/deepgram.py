"""Deepgram signs nothing: the callback URL carries Basic auth, or the request's
`extra` carries a `callback_secret` that comes back in `metadata.extra`."""

from webhooks.verifiers.base import InboundEvent, Unverified, Verified, Verifier


class DeepgramVerifier(Verifier):
    name = "deepgram"
    secret_settings = ("DEEPGRAM_CALLBACK_SECRET",)

    def verify(self, request, body: bytes) -> Verified:
        secret = self.secret()
        password = self.basic_auth_password(request)
        payload = self.json_body(body)
        metadata = payload.get("metadata", {}) if isinstance(payload, dict) else {}
        extra = metadata.get("extra", {}) if isinstance(metadata, dict) else {}
        echoed = extra.get("callback_secret", "") if isinstance(extra, dict) else ""
        if not (
            (password and self.equal(password, secret))
            or (echoed and self.equal(str(echoed), secret))
        ):
            raise Unverified("no valid credentials")
        request_id = metadata.get("request_id") if isinstance(metadata, dict) else None
        if not request_id:
            raise Unverified("no request id")
        return Verified(events=[InboundEvent(str(request_id), "transcript", body)])
