"""Telegram: the secret token set with setWebhook comes back in a header."""

from webhooks.verifiers.base import InboundEvent, Unverified, Verified, Verifier


class TelegramVerifier(Verifier):
    name = "telegram"
    secret_settings = ("TELEGRAM_WEBHOOK_SECRET",)

    def verify(self, request, body: bytes) -> Verified:
        sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not sent or not self.equal(sent, self.secret()):
            raise Unverified("bad secret token")
        payload = self.json_body(body)
        if not isinstance(payload, dict) or "update_id" not in payload:
            raise Unverified("unexpected body")
        kinds = [key for key in payload if key != "update_id"]
        return Verified(
            events=[
                InboundEvent(str(payload["update_id"]), kinds[0] if kinds else "", body)
            ]
        )
