"""Sign-in, password and MFA events from Django and allauth, into the audit log;
a new primary address, into the move of the rows it owns.

Receivers only translate a signal into a service call; no decisions are made here.
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from accounts.ownership import owner_email_move
from accounts.selectors import sign_in_method_of
from accounts.services import audit_record


@receiver(auth_signals.user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    audit_record(
        action="auth.signed_in", actor=user, metadata=sign_in_method_of(request, user)
    )


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    # No user, or one just deleted (its "account.deleted" event says it all).
    if user is not None and user.pk is not None:
        audit_record(action="auth.signed_out", actor=user)


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the address tried; Django already masks the password, and it is never kept.
    attempted = credentials.get("email") or credentials.get("username") or ""
    audit_record(
        action="auth.sign_in_failed",
        metadata={"email": str(attempted)[:254]},
    )


@receiver(account_signals.user_signed_up, dispatch_uid="audit_sign_up")
def _signed_up(sender, request, user, **kwargs):
    audit_record(action="auth.signed_up", actor=user)


@receiver(account_signals.email_confirmed, dispatch_uid="audit_email_confirmed")
def _email_confirmed(sender, request, email_address, **kwargs):
    audit_record(
        action="auth.email_verified",
        actor=email_address.user,
        metadata={"email": email_address.email},
    )


@receiver(account_signals.email_changed, dispatch_uid="owner_email_move")
def _primary_email_changed(
    sender, request, user, from_email_address, to_email_address, **kwargs
):
    """allauth sends this after `EmailAddress.set_as_primary` saved the new
    `User.email`; its page runs in one transaction (accounts.views.email_addresses),
    so the address and the moved rows commit together, and an error here rolls the
    address back too (tests/accounts/test_email_change_moves_rows.py)."""
    if from_email_address is not None:
        owner_email_move(
            user=user,
            old_email=from_email_address.email,
            new_email=to_email_address.email,
        )


@receiver(account_signals.password_changed, dispatch_uid="audit_password_changed")
def _password_changed(sender, request, user, **kwargs):
    audit_record(action="auth.password_changed", actor=user)


@receiver(account_signals.password_set, dispatch_uid="audit_password_set")
def _password_set(sender, request, user, **kwargs):
    audit_record(action="auth.password_set", actor=user)


@receiver(account_signals.password_reset, dispatch_uid="audit_password_reset")
def _password_reset(sender, request, user, **kwargs):
    audit_record(action="auth.password_reset", actor=user)


def _audit_authenticator_change(action):
    def _record(sender, request, user, authenticator, **kwargs):
        audit_record(
            action=action,
            actor=user,
            metadata={"type": authenticator.type},
        )

    return _record


# Module-level references keep the receivers alive: signals hold them weakly.
_mfa_added = _audit_authenticator_change("mfa.authenticator_added")
_mfa_removed = _audit_authenticator_change("mfa.authenticator_removed")
_mfa_reset = _audit_authenticator_change("mfa.authenticator_reset")
mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
mfa_signals.authenticator_removed.connect(
    _mfa_removed, dispatch_uid="audit_mfa_removed"
)
mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")
