"""Webhook settings: deploy checks, and the local-only unverified mode."""

import pytest

from tests.processes import clean_env, run_python
from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME, signed
from webhooks import checks
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def test_check_deploy_lists_enabled_providers_without_secrets(settings):
    settings.WEBHOOKS_PROVIDERS = ["slack", "telegram"]
    settings.WEBHOOKS_TELEGRAM_WEBHOOK_SECRET = ""
    messages = checks.check_providers_configured(None)
    assert [(m.id, "telegram" in m.msg) for m in messages] == [("webhooks.E001", True)]
    settings.WEBHOOKS_PROVIDERS = ["slack"]
    assert checks.check_providers_configured(None) == []


def test_a_disabled_provider_answers_like_a_bad_signature(client, settings):
    provider = BY_NAME["slack"]
    body, headers = signed(provider)
    settings.WEBHOOKS_PROVIDERS = ["telegram"]
    response = post(client, provider, body, headers)
    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()


def test_unverified_webhooks_are_accepted_only_in_debug(client, settings):
    settings.WEBHOOKS_TELEGRAM_WEBHOOK_SECRET = ""
    settings.WEBHOOKS_ALLOW_UNVERIFIED = True
    provider = BY_NAME["telegram"]
    body, _ = signed(provider)
    assert post(client, provider, body, {}).status_code == 200
    assert WebhookEvent.objects.get().event_type == "unverified"
    assert [m.id for m in checks.check_unverified_off(None)] == ["webhooks.E003"]


@pytest.mark.slow
def test_the_process_refuses_unverified_webhooks_without_debug():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test", ALLOW_UNVERIFIED_WEBHOOKS="1"
    )
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "ALLOW_UNVERIFIED_WEBHOOKS=1 is refused unless DEBUG" in result.stderr
