"""The verifier of every provider, by the name in its URL (`/webhooks/<name>/`)."""

from webhooks.verifiers.deepgram import DeepgramVerifier
from webhooks.verifiers.pubsub import PubSubVerifier
from webhooks.verifiers.recall import RecallVerifier
from webhooks.verifiers.resend import ResendInboundVerifier, ResendVerifier
from webhooks.verifiers.sendgrid import SendGridEventVerifier, SendGridInboundVerifier
from webhooks.verifiers.slack import SlackVerifier
from webhooks.verifiers.telegram import TelegramVerifier
from webhooks.verifiers.whatsapp import WhatsAppVerifier
from webhooks.verifiers.zoom import ZoomVerifier

VERIFIERS = {
    verifier.name: verifier
    for verifier in (
        ResendVerifier(),
        ResendInboundVerifier(),
        SendGridEventVerifier(),
        SendGridInboundVerifier(),
        SlackVerifier(),
        TelegramVerifier(),
        WhatsAppVerifier(),
        RecallVerifier(),
        DeepgramVerifier(),
        ZoomVerifier(),
        PubSubVerifier(),
    )
}
