"""TOTP keys and recovery-code seeds are stored encrypted, never in the clear; keys
rotate, and MFA secrets saved in the clear before are sealed by rotate_secrets."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from accounts import crypto, mfa_secrets
from tests.accounts.mfa import activate_totp, current_code, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

KEY_A = "mfa-key-a-0123456789-0123456789-0123456789"
KEY_B = "mfa-key-b-0123456789-0123456789-0123456789"


def _stored(user, kind) -> dict:
    """Authenticator.data exactly as the database holds it."""
    return Authenticator.objects.values_list("data", flat=True).get(
        user=user, type=kind
    )


def _signs_in_with_totp(user, secret) -> bool:
    # allauth refuses a code used once already (kept in the cache): forget it, as if
    # the next 30 s period had come.
    cache.clear()
    other = Client()
    other.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    other.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    return other.get("/account/").status_code == 200


def test_the_totp_key_and_recovery_seed_are_stored_encrypted(client, user, settings):
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = KEY_A
    sign_in(client, user)
    secret, _ = activate_totp(client)
    codes = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]

    totp = _stored(user, Authenticator.Type.TOTP)
    recovery = _stored(user, Authenticator.Type.RECOVERY_CODES)
    assert crypto.is_ciphertext(totp["secret"])
    assert secret not in json.dumps(totp)
    assert crypto.is_ciphertext(recovery["seed"])
    assert not any(code in json.dumps(recovery) for code in codes)
    # And they still work: the adapter opens what it sealed.
    assert _signs_in_with_totp(user, secret)


def test_a_sealed_mfa_secret_opens_only_as_one(user):
    sealed = mfa_secrets.seal("JBSWY3DPEHPK3PXP")
    assert mfa_secrets.unseal(sealed) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed, bound_to=f"secret:{user.pk}")
    # Another secret's ciphertext, copied into an authenticator, does not open.
    with pytest.raises(crypto.DecryptionError):
        mfa_secrets.unseal(crypto.encrypt("JBSWY3DPEHPK3PXP", bound_to="secret:1"))


def test_rotate_secrets_seals_clear_ones_and_moves_all_to_the_newest_key(
    user, settings, capsys
):
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = KEY_A
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    # Saved before encryption was on: in the clear, and still usable.
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "00" * 20, "used_mask": 0, "migrated_codes": ["abc12345"]},
    )
    assert _signs_in_with_totp(user, secret)

    call_command("rotate_secrets")
    assert "3 value(s) re-encrypted" in capsys.readouterr().out
    totp = _stored(user, Authenticator.Type.TOTP)
    recovery = _stored(user, Authenticator.Type.RECOVERY_CODES)
    assert crypto.is_ciphertext(totp["secret"])
    assert crypto.is_ciphertext(recovery["seed"])
    assert all(map(crypto.is_ciphertext, recovery["migrated_codes"]))
    assert "abc12345" not in json.dumps(recovery)
    assert _signs_in_with_totp(user, secret)

    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    call_command("rotate_secrets")
    assert "3 value(s) re-encrypted" in capsys.readouterr().out
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = KEY_B  # the old key is gone
    assert crypto.is_current(_stored(user, Authenticator.Type.TOTP)["secret"])
    assert _signs_in_with_totp(user, secret)
    call_command("rotate_secrets")
    assert "0 value(s) re-encrypted" in capsys.readouterr().out
