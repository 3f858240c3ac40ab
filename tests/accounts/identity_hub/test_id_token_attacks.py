"""An app signing in through the hub takes only the hub's ID token, for itself, for
this sign-in, once, with a verified address: each other token the network between
them could hand it is refused, and nobody is signed in or created.

The hub and the app are real deployments (sites.py); the proxy between them passes
the hub's token answers on, or swaps the ID token for one the test made. The test
holds the hub's signing key, so it can also make tokens the hub would sign but never
issue (another audience, expired, no nonce)."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from allauth.core.internal.jwkkit import load_jwk_from_pem

from config.settings.base import generated_private_key
from tests.accounts.identity_hub.conftest import APP_PASSWORD, HUB_NAME, HUB_PASSWORD
from tests.accounts.identity_hub.sites import WebSession, sign_in_through_hub

# Both sites use SQLite files of their own, whichever engine the suite runs on.
pytestmark = [pytest.mark.slow, pytest.mark.sqlite]

ATTACKER_KEY = generated_private_key()


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _signed(claims: dict, pem: str, **header) -> str:
    jwk, private_key = load_jwk_from_pem(pem)
    return jwt.encode(
        claims, private_key, algorithm="RS256", headers={"kid": jwk["kid"], **header}
    )


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def carol_at_hub(sso):
    at_hub = WebSession()
    at_hub.sign_in(sso.hub.url, "carol@acme.test", HUB_PASSWORD)
    return at_hub


def _user_count(site) -> int:
    return site.rows("SELECT count(*) FROM accounts_user")[0][0]


def _signed_in(site, at_app: WebSession) -> bool:
    return at_app.get(f"{site.url}/account/").status_code == 200


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_the_sign_in_and_sign_up_pages_offer_the_hub(sso, path):
    page = WebSession().get(f"{sso.proxied_app.url}{path}")
    assert f"Sign in with {HUB_NAME}" in page.text


def test_the_hubs_own_token_signs_in_and_a_replay_of_it_does_not(sso, carol_at_hub):
    app = sso.proxied_app
    sso.proxy.swap = None
    at_app = WebSession()
    answer, callback = sign_in_through_hub(app.url, carol_at_hub, at_app)
    assert answer.status_code == 302, answer.text[:2000]
    assert _signed_in(app, at_app)
    # A new user, the address verified as the hub said; linked by address only.
    assert app.users("carol@acme.test") == [(app.users("carol@acme.test")[0][0], 1)]
    assert app.rows(
        "SELECT uid FROM socialaccount_socialaccount WHERE provider='identity_hub'"
    ) == [("carol@acme.test",)]
    assert app.rows(
        "SELECT name FROM accounts_user WHERE email = 'carol@acme.test'"
    ) == [("Carol",)]
    (extra,) = app.rows("SELECT extra_data FROM socialaccount_socialaccount")[0]
    assert "sub" not in json.loads(extra)["id_token"]
    # Audited on both sides: the app says which hub, the hub which app.
    signed_in = app.audit("auth.signed_in")[-1]
    assert signed_in["actor"] == "carol@acme.test"
    assert signed_in["metadata"]["hub"] == sso.proxy.url
    assert signed_in["metadata"]["provider"] == "identity_hub"
    to_client = sso.hub.audit("sso.signed_in_to_client")[-1]
    assert to_client["actor"] == "carol@acme.test"
    assert to_client["metadata"]["client_id"] == sso.client_id

    # The same callback again (state used) and the same ID token in a new
    # sign-in (another nonce; its jti seen) are refused.
    assert WebSession().get(callback).status_code == 403
    assert at_app.get(callback).status_code == 403
    used = sso.proxy.issued[-1]
    sso.proxy.swap = lambda token: used
    try:
        again = WebSession()
        refused, _ = sign_in_through_hub(app.url, carol_at_hub, again)
    finally:
        sso.proxy.swap = None
    assert refused.status_code == 403
    assert not _signed_in(app, again)


def _hub_kid(sso) -> str:
    return load_jwk_from_pem(sso.hub_key)[0]["kid"]


def _forged(claims, sso):
    return _signed(claims, ATTACKER_KEY, kid=_hub_kid(sso))


def _alg_none(claims, sso):
    header = {"alg": "none", "typ": "JWT", "kid": _hub_kid(sso)}
    return f"{_b64(header)}.{_b64(claims)}."


def _hmac_with_the_hubs_public_key(claims, sso):
    """Algorithm confusion: HS256 keyed with the hub's published RSA key."""
    jwk = load_jwk_from_pem(sso.hub_key)[0]
    header = {"alg": "HS256", "typ": "JWT", "kid": jwk["kid"]}
    signing_input = f"{_b64(header)}.{_b64(claims)}".encode()
    secret = json.dumps(jwk).encode()
    digest = hmac.new(secret, signing_input, hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return f"{signing_input.decode()}.{signature}"


def _tampered(claims, sso):
    header, _, signature = _signed(claims, sso.hub_key).split(".")
    return f"{header}.{_b64({**claims, 'email': 'mallory@acme.test'})}.{signature}"


def _another_audience(claims, sso):
    return _signed({**claims, "aud": sso.other_client_id}, sso.hub_key)


def _hub_signed(**changes):
    """The hub's token with `changes` (None removes a claim), signed with the
    hub's key: what the hub would sign but never issue for this sign-in."""

    def make(claims, sso):
        changed = {**claims, **changes}
        return _signed({k: v for k, v in changed.items() if v is not None}, sso.hub_key)

    return make


ATTACKS = {
    "signed by another key": _forged,
    "not signed (alg none)": _alg_none,
    "HMAC keyed with the hub's public key": _hmac_with_the_hubs_public_key,
    "not a JWT": lambda claims, sso: "not-a-jwt",
    "claims changed after signing": _tampered,
    "for another app (audience)": _another_audience,
    "from another issuer": _hub_signed(iss="https://evil.example"),
    "expired": _hub_signed(iat=int(time.time()) - 900, exp=int(time.time()) - 600),
    "for another sign-in (nonce)": _hub_signed(nonce="not-this-sign-in"),
    "without a nonce": _hub_signed(nonce=None),
    "without a jti": _hub_signed(jti=None),
    "without an address": _hub_signed(email=None),
}
UNVERIFIED = {
    "with an unverified address": _hub_signed(email_verified=False),
    "without saying the address is verified": _hub_signed(email_verified=None),
}


def _sign_in_with_swapped_token(sso, at_hub, make):
    app = sso.proxied_app
    sso.proxy.swap = lambda token: make(_claims(token), sso)
    try:
        at_app = WebSession()
        answer, _ = sign_in_through_hub(app.url, at_hub, at_app)
    finally:
        sso.proxy.swap = None
    assert answer.status_code == 403, answer.text[:2000]
    assert "nothing here changed" in answer.text
    assert not _signed_in(app, at_app)
    return answer


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_token_the_hub_did_not_issue_for_this_sign_in_is_refused(
    sso, carol_at_hub, attack
):
    app = sso.proxied_app
    users_before = _user_count(app)
    failures_before = len(app.audit("auth.sign_in_failed"))
    _sign_in_with_swapped_token(sso, carol_at_hub, ATTACKS[attack])
    assert _user_count(app) == users_before
    failures = app.audit("auth.sign_in_failed")[failures_before:]
    assert [failure["metadata"]["provider"] for failure in failures] == ["identity_hub"]


@pytest.mark.parametrize("attack", UNVERIFIED)
def test_a_token_without_a_verified_address_is_refused_clearly(
    sso, carol_at_hub, attack
):
    users_before = _user_count(sso.proxied_app)
    answer = _sign_in_with_swapped_token(sso, carol_at_hub, UNVERIFIED[attack])
    assert "Verify your address first" in answer.text
    assert _user_count(sso.proxied_app) == users_before
    failure = sso.proxied_app.audit("auth.sign_in_failed")[-1]["metadata"]
    assert failure["email"] == "carol@acme.test"


def test_an_address_unverified_here_is_not_taken_over(sso):
    """Dave signed up here without verifying his address; the hub's verified
    dave@ does not sign in to that account, nor wipe its password."""
    app = sso.proxied_app
    at_hub = WebSession()
    at_hub.sign_in(sso.hub.url, "dave@acme.test", HUB_PASSWORD)
    at_app = WebSession()
    answer, _ = sign_in_through_hub(app.url, at_hub, at_app)
    assert answer.status_code == 403
    assert "is not a verified address of an account here" in answer.text
    assert not _signed_in(app, at_app)
    assert app.users("dave@acme.test") == [(app.users("dave@acme.test")[0][0], 0)]
    assert not app.rows(
        "SELECT 1 FROM socialaccount_socialaccount WHERE uid = 'dave@acme.test'"
    )
    WebSession().sign_in(app.url, "dave@acme.test", APP_PASSWORD)


@pytest.mark.parametrize(
    "redirect",
    [
        "/evil/",
        "/accounts/identity_hub/login/callback/?next=https://evil.example",
        "/accounts/identity_hub/login/callback/x/",
    ],
)
def test_the_hub_never_sends_anyone_to_an_unregistered_redirect(
    sso, carol_at_hub, redirect
):
    answer = carol_at_hub.get(
        f"{sso.hub.url}/identity/o/authorize",
        params={
            "response_type": "code",
            "client_id": sso.client_id,
            "redirect_uri": sso.app.url + redirect,
            "scope": "openid email profile",
            "state": "s",
            "nonce": "n",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
        },
    )
    assert answer.status_code in (200, 400)
    assert "Location" not in answer.headers
    assert "code=" not in answer.text
