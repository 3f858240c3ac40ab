"""With the database unreachable every caller gets a clean 503 (the envelope for
programs, a page for people, Retry-After for both), no log line carries a path's
secret, and the same process serves normally once the database is back.

The outage is real (see the `database_outage` fixture): the driver itself fails. The
PostgreSQL server really restarted under load is in tests/resilience.
"""

import json

import pytest

from accounts.services import api_token_create
from tests.config.urls import SECRET_IN_EXCEPTION
from tests.hangs import get_unless_hung, silent_port
from tests.webhooks import signing

pytestmark = [pytest.mark.urls("tests.config.urls")]

INVITE_TOKEN = "invite-secret-during-outage-0123456789"


@pytest.fixture
def client(client, settings):
    settings.WEBHOOKS_SLACK_SIGNING_SECRET = signing.SLACK_SECRET
    settings.WEBHOOKS_SENDGRID_INBOUND_SECRET = signing.SENDGRID_INBOUND
    client.raise_request_exception = False
    return client


def _slack_event(event_id: str):
    body = json.dumps(
        {"type": "event_callback", "event_id": event_id, "event": {"type": "message"}}
    )
    return body, signing.slack_headers(body.encode())


def _assert_unavailable_envelope(response):
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"].isdigit()
    error = response.json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["message"]


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_caller_gets_a_clean_503_then_service_resumes(
    client, user, database_outage, console_output
):
    from webhooks.models import WebhookEvent

    _, token = api_token_create(user=user, name="outage")
    api = {"Authorization": f"Bearer {token}"}
    page_client = client.__class__(raise_request_exception=False)
    page_client.force_login(user)
    slack_body, slack_headers = _slack_event("EvOutage1")
    inbound_path = f"/webhooks/sendgrid-inbound/{signing.SENDGRID_INBOUND}/"
    inbound = {"headers": "Message-ID: <outage@mail.example.com>\n", "text": "hi"}

    database_outage.begin()
    during = {
        "api": client.get("/api/actions/list-memos/", headers=api),
        "slack": client.post(
            "/webhooks/slack/",
            slack_body,
            content_type="application/json",
            headers=slack_headers,
        ),
        "inbound": client.post(inbound_path, inbound),
        "page": page_client.get("/account/"),
        "secret page": page_client.get(f"/test/invitations/{INVITE_TOKEN}/"),
        "health": client.get("/readyz"),
    }
    _assert_unavailable_envelope(during["api"])
    _assert_unavailable_envelope(during["slack"])
    _assert_unavailable_envelope(during["inbound"])
    for name in ("page", "secret page"):
        page = during[name]
        assert page.status_code == 503
        assert page["Retry-After"].isdigit()
        assert "Temporarily unavailable" in page.content.decode()
    health = during["health"]
    assert health.status_code == 503
    assert health.json()["database"] == "error"

    output = console_output.getvalue()
    assert "Service Unavailable: /webhooks/<str:provider>/<str:secret>/" in output
    assert "route=/test/invitations/<str:token>/ status=503" in output
    for secret in (signing.SENDGRID_INBOUND, INVITE_TOKEN, token):
        assert secret not in output
    for response in during.values():
        for leak in ("Traceback", "psycopg", "sqlite", "5432", "OperationalError"):
            assert leak not in response.content.decode()

    # Back: the same process serves again, nothing restarted.
    database_outage.end()
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/actions/list-memos/", headers=api).status_code == 200
    assert page_client.get("/account/").status_code == 200
    # The provider retries what got a 503; this time it is stored, once.
    again = client.post(
        "/webhooks/slack/",
        slack_body,
        content_type="application/json",
        headers=signing.slack_headers(slack_body.encode()),
    )
    assert again.status_code == 200
    assert WebhookEvent.objects.filter(event_id="EvOutage1").count() == 1


@pytest.mark.django_db
def test_a_failing_statement_on_a_working_connection_stays_a_500(client):
    """Only an unreachable database is a 503: a query that fails is a bug to fix."""
    response = client.get("/api/test/bad-sql")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "Retry-After" not in response
    assert SECRET_IN_EXCEPTION not in response.content.decode()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_that_never_answers_is_a_503_after_the_connect_timeout(
    client, database_outage, settings
):
    """A host that takes the connection and then says nothing (a hung server, a
    black-holed network) must not hold a worker until the OS gives up."""
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 5
    with silent_port() as port:
        database_outage.begin(port=port)
        # Without a connect timeout libpq waits for the server's reply forever.
        response = get_unless_hung(client, "/readyz", seconds=60)
        assert response is not None, "the request was still waiting for the database"
    assert response.status_code == 503
    assert response.json()["database"] == "error"
