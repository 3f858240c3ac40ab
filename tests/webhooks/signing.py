"""Requests signed the way each provider signs them, with real keys made here."""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

SVIX_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
RESEND_INBOUND_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
RECALL_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
SLACK_SECRET = secrets.token_hex(16)
ZOOM_SECRET = secrets.token_hex(16)
TELEGRAM_SECRET = secrets.token_urlsafe(24)
WHATSAPP_SECRET = secrets.token_hex(16)
WHATSAPP_VERIFY = secrets.token_urlsafe(12)
DEEPGRAM_SECRET = secrets.token_urlsafe(24)
SENDGRID_INBOUND = secrets.token_urlsafe(24)
SENDGRID_KEY = ec.generate_private_key(ec.SECP256R1())
SENDGRID_PUBLIC = base64.b64encode(
    SENDGRID_KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
).decode()
GOOGLE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
GOOGLE_KID = "test-key-1"
PUBSUB_AUDIENCE = "https://app.example.com/webhooks/pubsub/"
PUBSUB_ACCOUNT = "push@project.iam.gserviceaccount.com"


def now() -> str:
    return str(int(time.time()))


def svix_headers(secret, body: bytes, prefix="svix", msg_id=None, timestamp=None):
    msg_id = msg_id or f"msg_{secrets.token_hex(8)}"
    timestamp = now() if timestamp is None else timestamp
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signature = base64.b64encode(
        hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    ).decode()
    return {
        f"{prefix}-id": msg_id,
        f"{prefix}-timestamp": timestamp,
        f"{prefix}-signature": f"v1,{base64.b64encode(b'old').decode()} v1,{signature}",
    }


def v0_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(
        secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256
    )
    return "v0=" + digest.hexdigest()


def slack_headers(body: bytes, timestamp=None) -> dict:
    timestamp = now() if timestamp is None else timestamp
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": v0_signature(SLACK_SECRET, timestamp, body),
    }


def zoom_headers(body: bytes, timestamp=None) -> dict:
    timestamp = now() if timestamp is None else timestamp
    return {
        "x-zm-request-timestamp": timestamp,
        "x-zm-signature": v0_signature(ZOOM_SECRET, timestamp, body),
    }


def whatsapp_headers(body: bytes) -> dict:
    digest = hmac.new(WHATSAPP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}"}


def sendgrid_headers(body: bytes, timestamp=None) -> dict:
    timestamp = now() if timestamp is None else timestamp
    signature = SENDGRID_KEY.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    return {
        "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
    }


def basic_auth(password: str, user: str = "deepgram") -> dict:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def google_token(**overrides) -> str:
    issued = int(time.time())
    claims = {
        "iss": "https://accounts.google.com",
        "aud": PUBSUB_AUDIENCE,
        "email": PUBSUB_ACCOUNT,
        "email_verified": True,
        "iat": issued,
        "exp": issued + 600,
        "sub": "1234567890",
    }
    claims.update(overrides)
    return jwt.encode(
        claims, GOOGLE_KEY, algorithm="RS256", headers={"kid": GOOGLE_KID}
    )


def jwks() -> dict:
    key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(GOOGLE_KEY.public_key()))
    return {"keys": [{**key, "kid": GOOGLE_KID, "use": "sig", "alg": "RS256"}]}


class JwksServer:
    """Google's certificate endpoint, played on loopback with our own key."""

    def __init__(self):
        document = json.dumps(jwks()).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(document)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/oauth2/v3/certs"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
