"""Only a strictly valid, fresh, single-use HS256 token for a verified user is an
identity; every attack is a 401 with the identity error and changes nothing."""

import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from a2a import tokens
from a2a.models import A2ATask
from a2a.rpc import AUTHENTICATION
from scoping.scopes import unscoped
from tests.a2a.conftest import SECRET, action_message, rpc
from tests.factories import UserFactory
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db

AUD = "http://testserver/a2a/"


def claims(**overrides):
    now = int(time.time())
    base = {
        "iss": "https://caller.example.com",
        "sub": "alice@acme.test",
        "aud": AUD,
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs256(payload, key=SECRET, header=None):
    return jwt.encode(payload, key, algorithm="HS256", headers=header)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged(header: dict, payload: dict, signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(payload).encode())
    return f"{head}.{body}.{_b64(signature)}"


def rs256_signed_with_the_secret(payload):
    """The key-confusion attack: RS256 in the header, HMAC with the shared secret."""
    head = _b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256)
    return f"{head}.{body}.{_b64(signature.digest())}"


def _other_rsa_token(payload):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(payload, key, algorithm="RS256")


ATTACKS = {
    "alg none": lambda w: forged({"alg": "none", "typ": "JWT"}, claims()),
    "HS512": lambda w: jwt.encode(claims(), SECRET, algorithm="HS512"),
    "RS256 with the secret as key": lambda w: rs256_signed_with_the_secret(claims()),
    "RS256 with another key": lambda w: _other_rsa_token(claims()),
    "wrong key": lambda w: hs256(claims(), key="another-secret-" + "x" * 40),
    "expired": lambda w: hs256(
        claims(iat=int(time.time()) - 400, exp=int(time.time()) - 100)
    ),
    "exp missing": lambda w: hs256(claims(exp=None)),
    "jti missing": lambda w: hs256(claims(jti=None)),
    "iss missing": lambda w: hs256(claims(iss=None)),
    "lifetime over 5 minutes": lambda w: hs256(claims(exp=int(time.time()) + 301)),
    "wrong aud": lambda w: hs256(claims(aud="http://other.example.com/a2a/")),
    "unknown sub": lambda w: hs256(claims(sub="nobody@acme.test")),
    "unverified sub": lambda w: hs256(
        claims(sub=UserFactory(email="new@acme.test", verified=False).email)
    ),
    "org_id of an org the user is not in": lambda w: hs256(
        claims(org_id=str(w.bobco.pk))
    ),
    "garbage": lambda w: "not.a.token",
    # Claims of the wrong JSON type, refused before anything does arithmetic on them.
    "exp a string of digits": lambda w: hs256(claims(exp=str(int(time.time()) + 60))),
    "iat a string of digits": lambda w: hs256(claims(iat=str(int(time.time())))),
    "nbf a string": lambda w: hs256(claims(nbf=str(int(time.time()) - 5))),
    "exp a 400-digit integer": lambda w: hs256(claims(iat=time.time(), exp=10**400)),
    "exp NaN": lambda w: hs256(claims(exp=float("nan"))),
    "exp infinite": lambda w: hs256(claims(exp=float("inf"))),
    "exp a list": lambda w: hs256(claims(exp=[int(time.time()) + 60])),
    "exp a boolean": lambda w: hs256(claims(exp=True)),
    "iat an object": lambda w: hs256(claims(iat={"t": int(time.time())})),
    "sub a list": lambda w: hs256(claims(sub=["alice@acme.test"])),
    "jti a number": lambda w: hs256(claims(jti=7)),
    "org_id a number": lambda w: hs256(claims(org_id=5)),
}


# The HS512 attack signs with our 46-byte secret; PyJWT rightly warns it is short for
# SHA-512. The attacker's key hygiene is not under test.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("attack", ATTACKS, ids=str)
def test_attacks_are_refused_with_no_side_effect(client, world, attack):
    token = ATTACKS[attack](world)
    response = rpc(
        client,
        "SendMessage",
        action_message("create-memo", {"title": "x"}),
        token=token,
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == AUTHENTICATION
    assert response["WWW-Authenticate"] == 'Bearer realm="a2a", error="invalid_token"'
    with unscoped(reason="test"):
        assert not A2ATask.objects.exists()
        assert not Memo.objects.filter(title="x").exists()


def test_a_replayed_token_is_refused(client, world):
    token = hs256(claims())
    first = rpc(client, "ListTasks", {}, token=token)
    assert first.status_code == 200
    replay = rpc(client, "ListTasks", {}, token=token)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == AUTHENTICATION


def test_a_valid_token_with_leeway_is_accepted(client, world):
    now = int(time.time())
    token = hs256(claims(iat=now - 100, exp=now - 10))  # within the 30 s leeway
    assert rpc(client, "ListTasks", {}, token=token).status_code == 200


def test_our_own_tokens_carry_every_claim(settings):
    settings.APP_URL = "https://us.example.com"
    token = tokens.sign(sub="ada@example.com", aud=AUD, org_id="o-1")
    header = jwt.get_unverified_header(token)
    body = jwt.decode(token, options={"verify_signature": False})
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert set(body) == {"iss", "sub", "aud", "iat", "exp", "jti", "org_id"}
    assert body["iss"] == "https://us.example.com"
    assert body["exp"] - body["iat"] <= 300


def test_production_without_a_secret_answers_503_everywhere(client, settings):
    settings.A2A_SECRET = ""
    settings.DEBUG = False
    for response in (
        client.get("/.well-known/agent-card.json"),
        rpc(client, "ListTasks", {}),
    ):
        assert response.status_code == 503
        error = response.json()["error"]
        assert (error["code"], error["message"]) == (
            AUTHENTICATION,
            "A2A authentication not configured",
        )


def test_local_without_a_secret_runs_with_no_identity(client, settings, world):
    settings.A2A_SECRET = ""
    settings.DEBUG = True
    assert client.get("/.well-known/agent-card.json").status_code == 200
    response = rpc(client, "SendMessage", action_message("list-memos", {}))
    assert response.status_code == 401  # an action that needs a person
    assert rpc(client, "ListTasks", {}).status_code == 401  # tasks are a person's


@pytest.mark.slow
def test_a_short_secret_is_refused_at_startup():
    from tests.processes import clean_env, run_python

    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.test", A2A_SECRET="x" * 31)
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "A2A_SECRET must be at least 32 bytes" in result.stderr


def test_refused_tokens_from_one_address_are_limited_on_both_doors(client, world):
    """Forged JWTs count against the sender's address, on /a2a/ and on the actions
    API alike: 401 while under the limit, then 429 with Retry-After."""
    from accounts.app_settings import app_settings
    from actions.throttling import parse_rate

    allowed = parse_rate(app_settings.API_AUTH_FAILURE_RATE).calls
    forged_token = hs256(claims(), key="not-the-secret-" * 4)
    address = {"REMOTE_ADDR": "203.0.113.9"}
    headers = {"Authorization": f"Bearer {forged_token}"}
    for number in range(allowed):
        if number % 2:
            response = client.get("/api/me/", headers=headers, **address)
        else:
            response = rpc(client, "ListTasks", {}, token=forged_token, **address)
        assert response.status_code == 401, number
    on_a2a = rpc(client, "ListTasks", {}, token=forged_token, **address)
    assert on_a2a.status_code == 429
    assert int(on_a2a["Retry-After"]) >= 1
    on_api = client.get("/api/me/", headers=headers, **address)
    assert on_api.status_code == 429
    assert on_api.json()["error"]["code"] == "throttled"
    # Another address is not affected; nothing was run for anyone.
    elsewhere = rpc(client, "ListTasks", {}, token=forged_token)
    assert elsewhere.status_code == 401
