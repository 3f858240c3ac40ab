"""allauth's MFA secrets at rest: TOTP keys and recovery-code seeds, encrypted.

allauth keeps them in `Authenticator.data` and passes each through its MFA adapter's
`encrypt()`/`decrypt()`, which by default do nothing: a database dump would hand out
every user's second factor. `accounts.adapter.MFAAdapter` seals them with the keys of
`accounts.crypto`. The hooks get no row, so a value is bound to its purpose (an MFA
secret), not to its user.
"""

from allauth.mfa.models import Authenticator

from accounts import crypto

PURPOSE = "allauth.mfa"
# The fields of Authenticator.data that allauth passes through the adapter.
SEALED_FIELDS = {
    Authenticator.Type.TOTP: ("secret",),
    Authenticator.Type.RECOVERY_CODES: ("seed",),
}
SEALED_LIST_FIELDS = {Authenticator.Type.RECOVERY_CODES: ("migrated_codes",)}


def seal(text: str) -> str:
    return crypto.encrypt(text, bound_to=PURPOSE)


def unseal(stored: str) -> str:
    """The secret in `stored`; a value saved before encryption was on is taken as
    it is (`manage.py rotate_secrets` seals it)."""
    if not crypto.is_ciphertext(stored):
        return stored
    return crypto.decrypt(stored, bound_to=PURPOSE)


def mfa_secrets_rotate() -> int:
    """Seal every MFA secret with the newest key, including any saved in the clear.
    Call inside a transaction."""
    count = 0
    authenticators = Authenticator.objects.select_for_update().filter(
        type__in=list(SEALED_FIELDS)
    )
    for authenticator in authenticators.iterator():
        data, changed = authenticator.data, 0
        for field in SEALED_FIELDS.get(authenticator.type, ()):
            if isinstance(data.get(field), str) and not _is_sealed_now(data[field]):
                data[field] = seal(unseal(data[field]))
                changed += 1
        for field in SEALED_LIST_FIELDS.get(authenticator.type, ()):
            values = data.get(field)
            if isinstance(values, list) and not all(map(_is_sealed_now, values)):
                data[field] = [seal(unseal(value)) for value in values]
                changed += 1
        if changed:
            authenticator.save(update_fields=["data"])
            count += changed
    return count


def _is_sealed_now(stored: str) -> bool:
    return crypto.is_ciphertext(stored) and crypto.is_current(stored)
