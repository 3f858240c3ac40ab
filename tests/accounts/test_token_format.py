"""Every personal token splits into its three parts; old-format tokens stay valid.

The secret part used to be base64url, so about half of all tokens had a `_` (or `-`)
in it, and anything splitting a token on `_` (a test did) misread 0.3% of them.
"""

import hashlib
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import tokens
from accounts.models import ApiToken

KEY_ID_ALPHABET = string.ascii_lowercase + string.digits
OLD_SECRET_ALPHABET = string.ascii_letters + string.digits + "-_"


def test_every_generated_token_splits_into_exactly_its_three_parts():
    # 2 000 tokens of the old format all but surely held a `_` (1 - (63/64)^86 000).
    for _ in range(2_000):
        new = tokens.generate()
        prefix, key_id, secret = new.secret.split("_")
        assert prefix + "_" == tokens.PREFIX
        assert key_id == new.key_id == tokens.key_id_of(new.secret)
        assert len(secret) == tokens.SECRET_LENGTH
        assert set(secret) <= set(string.ascii_letters + string.digits)


def test_a_generated_secret_carries_256_bits():
    alphabet = len(string.ascii_letters + string.digits)
    assert alphabet**tokens.SECRET_LENGTH >= 2**256


@given(
    key_id=st.text(KEY_ID_ALPHABET, min_size=12, max_size=12),
    secret=st.text(OLD_SECRET_ALPHABET, min_size=43, max_size=43),
)
def test_a_token_of_either_format_parses_to_its_key_id(key_id, secret):
    assert tokens.key_id_of(f"pat_{key_id}_{secret}") == key_id


@given(
    key_id=st.text(KEY_ID_ALPHABET, min_size=12, max_size=12),
    secret=st.text(OLD_SECRET_ALPHABET, min_size=0, max_size=60).filter(
        lambda s: len(s) != 43
    ),
)
def test_a_secret_of_another_length_is_not_a_token(key_id, secret):
    assert tokens.key_id_of(f"pat_{key_id}_{secret}") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "secret",
    [
        "_" * 43,
        "-" * 43,
        "A" * 41 + "_w",
        "_" + "B" * 41 + "-",
        "ab_cd-ef_" + "0" * 34,
    ],
)
def test_a_token_issued_in_the_old_format_still_authenticates(client, user, secret):
    raw = f"pat_oldformat123_{secret}"
    ApiToken.objects.create(
        user=user,
        name="old",
        key_id="oldformat123",
        digest=hashlib.sha256(raw.encode()).hexdigest(),
    )
    response = client.get("/api/me/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["email"] == user.email
