"""Slack: `v0=` HMAC of `v0:{timestamp}:{body}`; the URL check answered if verified."""

from django.http import JsonResponse

from webhooks.verifiers.base import (
    InboundEvent,
    Unverified,
    Verified,
    Verifier,
    v0_verify,
)


class SlackVerifier(Verifier):
    name = "slack"
    secret_settings = ("SLACK_SIGNING_SECRET",)
    kept_headers = ("Content-Type", "User-Agent", "X-Slack-Retry-Num",
                    "X-Slack-Retry-Reason", "X-Slack-Request-Timestamp")  # fmt: skip

    def verify(self, request, body: bytes) -> Verified:
        v0_verify(
            self.secret(),
            request.headers.get("X-Slack-Request-Timestamp", ""),
            request.headers.get("X-Slack-Signature", ""),
            body,
        )
        payload = self.json_body(body)
        if not isinstance(payload, dict):
            raise Unverified("unexpected body")
        if payload.get("type") == "url_verification":
            return Verified(
                response=JsonResponse({"challenge": payload.get("challenge")})
            )
        event = payload.get("event") or {}
        event_id = str(payload.get("event_id") or self.body_hash(body))
        event_type = str(event.get("type") or payload.get("type") or "")
        return Verified(
            events=[InboundEvent(event_id, event_type, body)],
            retry=bool(request.headers.get("X-Slack-Retry-Num")),
        )
