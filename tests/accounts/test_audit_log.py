"""Security events are written to the audit log, and no secret ever is."""

import pytest
from django.contrib.auth import signals as auth_signals

from accounts import services
from accounts.models import AuditEvent
from tests.accounts.mfa import activate_totp, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _actions(user=None):
    events = (
        AuditEvent.objects.all()
        if user is None
        else AuditEvent.objects.filter(actor=user)
    )
    return list(events.order_by("id").values_list("action", flat=True))


def _assert_no_secret_anywhere(*secrets):
    for event in AuditEvent.objects.all():
        text = repr(
            (
                event.actor_label,
                event.action,
                event.target_id,
                event.metadata,
                event.user_agent,
            )
        )
        for secret in secrets:
            assert secret not in text, (event.action, text)


def test_sign_in_failure_and_sign_out(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": "wrong-pass-123"})
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/logout/")
    auth_events = [a for a in _actions() if a.startswith("auth.")]
    assert auth_events == ["auth.sign_in_failed", "auth.signed_in", "auth.signed_out"]
    failed = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert failed.metadata == {"email": user.email}
    assert failed.ip == "127.0.0.1"
    _assert_no_secret_anywhere(PASSWORD, "wrong-pass-123")


def test_password_change(client, user):
    client.force_login(user)
    new = "a-changed-password-77"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert "auth.password_changed" in _actions(user)
    _assert_no_secret_anywhere(PASSWORD, new)


def test_password_reset(client, user):
    from django.core import mail

    client.post("/accounts/password/reset/", {"email": user.email})
    link = next(
        line
        for line in mail.outbox[-1].body.splitlines()
        if "/password/reset/key/" in line
    )
    path = link[link.index("/accounts/") :].strip()
    form_page = client.get(path, follow=True)
    new = "a-reset-password-88"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert "auth.password_reset" in _actions(user)
    _assert_no_secret_anywhere(new)


def test_mfa_added_and_removed(client, user, django_capture_on_commit_callbacks):
    sign_in(client, user)
    # allauth signals MFA changes once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        secret, code = activate_totp(client)
        deactivated = client.post("/accounts/2fa/totp/deactivate/")
    assert deactivated.status_code == 302
    mfa_events = AuditEvent.objects.filter(actor=user, action__startswith="mfa.")
    assert {(e.action, e.metadata["type"]) for e in mfa_events} >= {
        ("mfa.authenticator_added", "totp"),
        ("mfa.authenticator_removed", "totp"),
    }
    _assert_no_secret_anywhere(secret, code)


def test_mfa_recovery_codes_regenerated(
    client, user, django_capture_on_commit_callbacks
):
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        activate_totp(client)
        regenerated = client.post("/accounts/2fa/recovery-codes/generate/")
    assert regenerated.status_code == 302
    reset = AuditEvent.objects.get(actor=user, action="mfa.authenticator_reset")
    assert reset.metadata["type"] == "recovery_codes"


def test_token_events_and_redaction(user):
    token, secret = services.api_token_create(user=user, name="ci")
    services.api_token_revoke(user=user, token_id=token.pk)
    services.audit_record(
        action="test.redaction", actor=user, metadata={"api_key": secret, "note": "ok"}
    )
    assert _actions(user) == [
        "api_token.created",
        "api_token.revoked",
        "test.redaction",
    ]
    assert AuditEvent.objects.get(action="test.redaction").metadata == {
        "api_key": "[redacted]",
        "note": "ok",
    }
    _assert_no_secret_anywhere(secret)


def test_the_credentials_django_passes_on_failure_are_not_kept(user):
    auth_signals.user_login_failed.send(
        sender=__name__,
        credentials={"email": user.email, "password": "plain-text-oops"},
        request=None,
    )
    _assert_no_secret_anywhere("plain-text-oops")


def test_staff_read_the_audit_log_in_admin_but_cannot_change_it(client, user):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    services.audit_record(action="test.visible", actor=user)
    event = AuditEvent.objects.get(action="test.visible")
    client.force_login(staff)
    listing = client.get("/admin/accounts/auditevent/")
    assert listing.status_code == 200
    assert "test.visible" in listing.content.decode()
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"})
    client.post(
        f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "tampered"}
    )
    event.refresh_from_db()
    assert event.action == "test.visible"


def test_metadata_with_nul_characters_is_stored(user):
    """PostgreSQL's jsonb refuses \\u0000; found by the actions fuzz test."""
    services.audit_record(
        action="test.nul", actor=user, metadata={"a\x00b": ["x\x00y"], "n": 1}
    )
    event = AuditEvent.objects.get(action="test.nul")
    assert event.metadata == {"a\ufffdb": ["x\ufffdy"], "n": 1}
