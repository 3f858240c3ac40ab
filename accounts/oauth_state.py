"""Signed OAuth `state` for any custom OAuth flow the template ships or a team adds.

    state = sign_oauth_state(request, {"provider": "drive"}, return_path="/settings/")
    ... redirect to the provider with state=…, then in the callback:
    payload = verify_oauth_state(request, request.GET["state"])

The token is HMAC-SHA256 signed with OAUTH_STATE_SECRET (SECRET_KEY when unset), expires
in ten minutes, carries a same-origin return path, and names a nonce kept in the user's
session: another session cannot use it, and it works once.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import urlsplit

from django.conf import settings

from accounts.adapter import is_same_origin_path
from accounts.app_settings import app_settings
from config.errors import InvalidInput

STATE_LIFETIME_SECONDS = 10 * 60
_SESSION_KEY = "oauth_state_nonces"


class StateRefused(InvalidInput):
    default_message = "The sign-in link is not valid any more; start again."


def _key() -> bytes:
    secret = app_settings.OAUTH_STATE_SECRET or settings.SECRET_KEY
    return hashlib.sha256(b"oauth-state:" + secret.encode()).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_oauth_state(request, payload: dict, *, return_path: str = "/") -> str:
    nonce = secrets.token_urlsafe(16)
    nonces = request.session.get(_SESSION_KEY, [])[-9:]  # a few flows at once
    request.session[_SESSION_KEY] = [*nonces, nonce]
    body = {
        "p": payload,
        "n": nonce,
        "e": int(time.time()) + STATE_LIFETIME_SECONDS,
        "r": return_path if is_same_origin_path(return_path) else "/",
    }
    encoded = _b64(json.dumps(body, separators=(",", ":")).encode())
    signature = _b64(hmac.new(_key(), encoded.encode(), hashlib.sha256).digest())
    return f"{encoded}.{signature}"


def verify_oauth_state(request, token: str) -> dict:
    """The payload and return path (`{"payload", "return_path"}`), or StateRefused."""
    encoded, _, signature = (token or "").partition(".")
    expected = _b64(hmac.new(_key(), encoded.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        raise StateRefused()
    try:
        body = json.loads(_unb64(encoded))
    except (ValueError, UnicodeDecodeError):
        raise StateRefused() from None
    if body.get("e", 0) < time.time():
        raise StateRefused("The sign-in link has expired; start again.")
    nonces = request.session.get(_SESSION_KEY, [])
    if body.get("n") not in nonces:
        raise StateRefused()  # another session's, or used already
    nonces.remove(body["n"])
    request.session[_SESSION_KEY] = nonces
    return {"payload": body.get("p"), "return_path": body.get("r", "/")}


def is_allowed_oauth_redirect_uri(uri: str, request) -> bool:
    """Only this origin, and only the app's own OAuth callback paths."""
    parts = urlsplit(uri or "")
    own = urlsplit(request.build_absolute_uri("/"))
    return (
        parts.scheme == own.scheme
        and parts.netloc == own.netloc
        and not parts.username
        and not parts.password
        and not parts.query
        and not parts.fragment
        and parts.path in app_settings.OAUTH_CALLBACK_PATHS
    )
