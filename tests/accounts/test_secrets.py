"""Secrets at rest: encrypted, bound to their row, rotated, masked, per user."""

import pytest

from accounts import crypto, secrets
from accounts.models import AuditEvent, OAuthToken, Secret
from config.errors import NotFound, PermissionDenied
from tests.scopes import as_

pytestmark = pytest.mark.django_db

KEY_A = "first-encryption-key-material-0123456789abcdef"
KEY_B = "second-encryption-key-material-0123456789abcdef"


@pytest.fixture(autouse=True)
def keys(settings):
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = KEY_A
    yield
    crypto._keys.cache_clear()


def _set(world, name="API_KEY", value="sk-live-abcdef123456", **kwargs):
    return secrets.secret_set(
        user=world.alice, org=world.acme, name=name, value=value, **kwargs
    )


def test_round_trip_and_the_database_holds_only_ciphertext(world):
    secret = _set(world)
    stored = Secret.objects.get(pk=secret.pk).value
    assert "sk-live" not in stored
    assert stored.startswith("v1:")
    resolved = secrets.resolve_secret("API_KEY", user=world.alice, org=world.acme)
    assert resolved == "sk-live-abcdef123456"


def test_a_ciphertext_copied_to_another_row_does_not_decrypt(world):
    mine = _set(world)
    other = secrets.secret_set(
        user=world.bob, org=world.bobco, name="API_KEY", value="bobs-own-key-000000"
    )
    Secret.objects.filter(pk=other.pk).update(value=mine.value)
    with pytest.raises(crypto.DecryptionError):
        secrets.resolve_secret("API_KEY", user=world.bob, org=world.bobco)


def test_rotation_re_encrypts_under_the_newest_key(world, settings):
    secret = _set(world)
    old = Secret.objects.get(pk=secret.pk).value
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    crypto._keys.cache_clear()
    assert secrets.resolve_secret("API_KEY", user=world.alice, org=world.acme)
    assert secrets.secrets_rotate() == 1
    new = Secret.objects.get(pk=secret.pk).value
    assert new != old
    assert crypto.is_current(new)
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = KEY_B  # the old key is gone
    crypto._keys.cache_clear()
    assert secrets.resolve_secret("API_KEY", user=world.alice, org=world.acme) == (
        "sk-live-abcdef123456"
    )


def test_rotate_secrets_command(world, settings, capsys):
    from django.core.management import call_command

    _set(world)
    settings.ACCOUNTS_SECRETS_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    crypto._keys.cache_clear()
    call_command("rotate_secrets")
    assert "1 value(s) re-encrypted" in capsys.readouterr().out


def test_listing_shows_names_and_masked_tails_only(world):
    _set(world)
    [shown] = secrets.secrets_visible_to(user=world.alice, org=world.acme)
    assert shown["masked"] == "••••3456"
    assert "sk-live" not in str(shown)


def test_values_never_reach_the_audit_log_or_action_results(world):
    from tests.actions.conftest import call

    response = call(
        world.alice, "set-secret", {"name": "K", "value": "sk-never-shown-123"}
    )
    assert "sk-never-shown" not in response.content.decode()
    for event in AuditEvent.objects.all():
        assert "sk-never-shown" not in str(event.metadata)


@pytest.mark.parametrize("fallback", [False, True])
def test_org_fallback_only_when_enabled(world, settings, fallback):
    settings.ACCOUNTS_KEYS_WORKSPACE_FALLBACK = fallback
    _set(world, name="SHARED", value="org-wide-key-999999", scope="org")
    if fallback:
        value = secrets.resolve_secret("SHARED", user=world.carol, org=world.acme)
        assert value == "org-wide-key-999999"
    else:
        with pytest.raises(NotFound):
            secrets.resolve_secret("SHARED", user=world.carol, org=world.acme)


def test_a_user_key_beats_the_org_key(world, settings):
    settings.ACCOUNTS_KEYS_WORKSPACE_FALLBACK = True
    _set(world, name="K", value="org-value-1234567", scope="org")
    secrets.secret_set(
        user=world.carol, org=world.acme, name="K", value="carols-1234567"
    )
    assert (
        secrets.resolve_secret("K", user=world.carol, org=world.acme)
        == "carols-1234567"
    )


def test_a_member_cannot_write_org_secrets(world):
    with pytest.raises(PermissionDenied):
        secrets.secret_set(
            user=world.carol, org=world.acme, name="K", value="v-12345", scope="org"
        )
    assert not Secret.objects.exists()


def test_a_missing_key_is_an_error_not_an_environment_fallback(world, monkeypatch):
    monkeypatch.setenv("API_KEY", "deploy-wide-value")
    with pytest.raises(NotFound, match="No secret named API_KEY"):
        secrets.resolve_secret("API_KEY", user=world.alice, org=world.acme)


def test_keys_references_expand_and_respect_the_url_allowlist(world):
    _set(world, url_allowlist=["api.openai.com"])
    text = "Authorization: Bearer ${keys.API_KEY}"
    assert secrets.expand_keys(
        text, user=world.alice, org=world.acme, url="https://api.openai.com/v1"
    ) == ("Authorization: Bearer sk-live-abcdef123456")
    with pytest.raises(PermissionDenied):
        secrets.expand_keys(
            text, user=world.alice, org=world.acme, url="https://evil.example.com/"
        )


def test_oauth_tokens_are_encrypted_and_private_to_their_owner(world):
    with as_(world.alice, world.acme):
        token = {"access_token": "ya29.secret-token"}
        secrets.oauth_token_save(provider="google", account_id="g-1", token=token)
        assert secrets.oauth_token_get(provider="google", account_id="g-1") == {
            "access_token": "ya29.secret-token"
        }
    with as_(world.carol, world.acme):
        assert secrets.oauth_token_get(provider="google", account_id="g-1") is None
    from scoping.scopes import unscoped

    with unscoped(reason="test"):
        assert "ya29" not in OAuthToken.objects.get().token


def test_admin_shows_masked_values_only(client, world):
    from tests.factories import UserFactory

    secret = _set(world)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/accounts/secret/{secret.pk}/change/").content.decode()
    assert "••••3456" in page
    assert "sk-live-abcdef" not in page
    assert "v1:" not in page  # not even the ciphertext
