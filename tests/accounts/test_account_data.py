"""A user downloads their data and deletes their account."""

import json

import pytest

from accounts import hooks, services
from accounts.models import ApiToken, AuditEvent, User
from config.errors import Conflict
from tests.accounts.mfa import reauthenticate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_download_has_the_account_and_no_secret(client, user):
    token, secret = services.api_token_create(user=user, name="cli")
    client.force_login(user)
    response = client.get("/account/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    body = response.content.decode()
    data = json.loads(body)
    assert data["account"]["email"] == user.email
    assert data["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]
    assert data["api_tokens"][0]["name"] == "cli"
    assert "api_token.created" in [e["action"] for e in data["audit_events"]]
    assert secret not in body
    assert token.digest not in body
    assert user.password not in body


def test_download_includes_what_apps_register(client, user):
    hooks.register_exporter("widgets", lambda u: [{"owner": u.email}])
    try:
        client.force_login(user)
        data = client.get("/account/export/").json()
    finally:
        hooks._exporters.pop("widgets")
    assert data["widgets"] == [{"owner": user.email}]


def _delete(client, typed):
    return client.post("/account/delete/", {"confirm_email": typed})


def test_delete_needs_the_email_typed(client, user):
    client.force_login(user)
    reauthenticate(client)
    response = _delete(client, "someone-else@example.com")
    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_removes_the_account_and_keeps_a_pseudonymous_audit_trail(client, user):
    services.api_token_create(user=user, name="cli")
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    reauthenticate(client)
    response = _delete(client, user.email.upper())
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not ApiToken.objects.exists()
    events = AuditEvent.objects.all()
    assert {"auth.signed_in", "api_token.created", "account.deleted"} <= {
        e.action for e in events
    }
    pseudonym = services.pseudonym_for(user.email)
    for event in events:
        assert user.email not in json.dumps(
            [event.actor_label, event.metadata, event.target_id]
        )
        assert event.actor_id is None
        if event.action not in ("auth.sign_in_failed", "scoping.unscoped"):
            assert event.actor_label == pseudonym
    assert client.get("/account/").status_code == 302  # signed out


def test_a_hook_can_refuse_deletion(client, user):
    def last_owner(u):
        raise Conflict("You are the last owner of an organization with members.")

    hooks.register_deletion_hook(last_owner)
    try:
        client.force_login(user)
        reauthenticate(client)
        response = _delete(client, user.email)
    finally:
        hooks._deletion_hooks.remove(last_owner)
    assert response.status_code == 200
    assert "last owner" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert not AuditEvent.objects.filter(action="account.deleted").exists()
