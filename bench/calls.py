"""Requests the benchmarks and the resilience tests send, as (method, path, body,
headers) builders for `bench.load.run`: each call makes a new event or message."""

import hashlib
import hmac
import json
import time
import uuid


def json_post(path: str, body: dict, headers: dict):
    return (
        "POST",
        path,
        json.dumps(body),
        {"Content-Type": "application/json", **headers},
    )


def slack_events(secret: str, text: str = "load"):
    """Signed Slack events (`v0=` HMAC of `v0:{timestamp}:{body}`), each with a new
    event id."""

    def make(index: int):
        body = json.dumps(
            {
                "type": "event_callback",
                "event_id": f"Ev{uuid.uuid4().hex}",
                "event": {"type": "message", "text": f"{text} {index}"},
            }
        )
        timestamp = str(int(time.time()))
        signature = hmac.new(
            secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256
        ).hexdigest()
        return (
            "POST",
            "/webhooks/slack/",
            body,
            {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": f"v0={signature}",
            },
        )

    return make


def a2a_messages(make_token, arguments: dict | None = None):
    """A2A `SendMessage` calls running `list-notes`, each with a token from
    `make_token()` (tokens are single use)."""

    def make(index: int):
        body = {
            "jsonrpc": "2.0",
            "id": index,
            "method": "SendMessage",
            "params": {
                "message": {
                    "messageId": uuid.uuid4().hex,
                    "role": "ROLE_USER",
                    "parts": [
                        {"data": {"action": "list-notes", "arguments": arguments or {}}}
                    ],
                }
            },
        }
        return json_post("/a2a/", body, {"Authorization": f"Bearer {make_token()}"})

    return make
