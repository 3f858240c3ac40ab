"""Slack: `v0=` HMAC of `v0:{timestamp}:{body}`; the URL check answered if verified."""

from django.http import JsonResponse

from webhooks.verifiers.base import (
    BadHandshake,
    InboundEvent,
    Verified,
    Verifier,
    mapping,
    text,
    v0_verify,
)


class SlackVerifier(Verifier):
    name = "slack"
    secret_settings = ("SLACK_SIGNING_SECRET",)
    kept_headers = (
        "Content-Type",
        "User-Agent",
        "X-Slack-Retry-Num",
        "X-Slack-Retry-Reason",
        "X-Slack-Request-Timestamp",
    )

    def verify(self, request, body: bytes) -> Verified:
        v0_verify(
            self.secret(),
            request.headers.get("X-Slack-Request-Timestamp", ""),
            request.headers.get("X-Slack-Signature", ""),
            body,
        )
        # Events come as JSON; slash commands and interactions, signed the same way,
        # as a form: those are stored under the body's hash.
        payload = mapping(self.payload(body))
        if payload.get("type") == "url_verification":
            challenge = text(payload.get("challenge"))
            if not challenge:
                raise BadHandshake("The URL verification carries no challenge.")
            return Verified(response=JsonResponse({"challenge": challenge}))
        event_type = text(mapping(payload.get("event")).get("type"))
        return Verified(
            events=[
                InboundEvent(
                    text(payload.get("event_id")) or self.body_hash(body),
                    event_type or text(payload.get("type")),
                    body,
                )
            ]
        )
