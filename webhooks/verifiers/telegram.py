"""Telegram: the secret token set with setWebhook comes back in a header."""

from webhooks.verifiers.base import (
    InboundEvent,
    Unverified,
    Verified,
    Verifier,
    mapping,
    text,
)


class TelegramVerifier(Verifier):
    name = "telegram"
    secret_settings = ("TELEGRAM_WEBHOOK_SECRET",)

    def check_credentials(self, request) -> None:
        sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not sent or not self.equal(sent, self.secret()):
            raise Unverified("bad secret token")

    def verify(self, request, body: bytes) -> Verified:
        update = mapping(self.payload(body))
        # An Update is its id and one field naming its kind ("message", …).
        kinds = [key for key in update if key != "update_id"]
        return Verified(
            events=[
                InboundEvent(
                    text(update.get("update_id")) or self.body_hash(body),
                    kinds[0] if kinds else "",
                    body,
                )
            ]
        )
