"""Sixty seconds of mixed load at concurrency 16 (pages, actions, agent SQL, webhooks,
A2A) against a live server on PostgreSQL: not one 5xx."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from a2a.tokens import sign
from accounts.services import api_token_create
from bench.calls import a2a_messages, slack_events
from bench.load import run as load
from tests.webhooks import signing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "resilience"
SECONDS = 60
CONCURRENCY = 16


@pytest.fixture
def server(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.APP_URL = live_server.url
    settings.ACTIONS_DEFAULT_THROTTLE_RATE = "1000000/min"
    settings.WEBHOOKS_SLACK_SIGNING_SECRET = signing.SLACK_SECRET
    settings.A2A_SECRET = "resilience-a2a-secret-0123456789abcdef"
    return urlsplit(live_server.url)


def test_sixty_seconds_of_mixed_load_without_a_5xx(server, world, settings):
    _, token = api_token_create(user=world.alice, name="load")
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    audience = f"{settings.APP_URL}/a2a/"

    mix = [
        lambda i: (
            "POST",
            "/api/actions/create-memo/",
            json.dumps({"title": f"load {i}"}),
            auth,
        ),
        lambda i: ("GET", "/api/actions/list-memos/?limit=20", None, auth),
        lambda i: (
            "GET",
            "/api/actions/db-query/?sql=SELECT+count(*)+FROM+testapp_memo",
            None,
            auth,
        ),
        lambda i: ("GET", "/readyz", None, {}),
        lambda i: ("GET", "/accounts/login/", None, {}),
        slack_events(signing.SLACK_SECRET),
        a2a_messages(lambda: sign(sub=world.alice.email, aud=audience)),
    ]
    result = load(
        server.hostname,
        server.port,
        lambda i: mix[i % len(mix)](i),
        concurrency=CONCURRENCY,
        seconds=SECONDS,
        max_requests=10**6,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "mixed-load.json").write_text(json.dumps(result, indent=2))
    assert result["requests"] > 0
    assert result["errors"] == 0, result
    assert not [status for status in result["statuses"] if status >= 500], result
    # Everything answered; the only refusals are db-query's own 60/min per-user limit.
    assert set(result["statuses"]) <= {200, 429}, result
