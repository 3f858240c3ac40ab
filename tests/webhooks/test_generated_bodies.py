"""Generated bodies, signed with each provider's own scheme, never make a webhook
fail: the answer is 2xx, or a 4xx in the error envelope, and every stored event is
processed or given up at its first attempt, never left to retry."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import json_values
from tests.webhooks import signing as s
from tests.webhooks.providers import PROVIDERS
from webhooks.models import WebhookEvent
from webhooks.tasks import process_webhook_event

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def shaped(template) -> st.SearchStrategy:
    """Values shaped like `template` (dicts of the provider's keys, lists of items),
    where any key may be missing and any value may be any JSON value instead."""
    if isinstance(template, dict):
        return st.fixed_dictionaries(
            {},
            optional={
                key: shaped(value) | json_values for key, value in template.items()
            },
        )
    if isinstance(template, list):
        return st.lists(shaped(template[0]) | json_values, max_size=3)
    return template


def one_of(*values) -> st.SearchStrategy:
    return st.sampled_from(values)


# Each provider's known keys, and values that steer into its branches.
SHAPES = {
    "resend": {"type": one_of("email.delivered"), "data": {"email_id": json_values}},
    "resend-inbound": {
        "type": one_of("email.received"),
        "data": {"email_id": st.text(max_size=12)},
    },
    "sendgrid": [{"sg_event_id": json_values, "event": json_values}],
    "slack": {
        "type": one_of("url_verification", "event_callback"),
        "challenge": json_values,
        "event_id": json_values,
        "event": {"type": json_values},
    },
    "telegram": {"update_id": st.integers(), "message": json_values},
    "whatsapp": {
        "object": json_values,
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "messages": [{"id": json_values}],
                            "statuses": [{"id": json_values}],
                        }
                    }
                ]
            }
        ],
    },
    "recall": {"event": json_values, "data": json_values},
    "deepgram": {
        "metadata": {
            "request_id": json_values,
            "extra": {"callback_secret": one_of(s.DEEPGRAM_SECRET) | json_values},
        }
    },
    "zoom": {
        "event": one_of("endpoint.url_validation", "meeting.started"),
        "payload": {"plainToken": json_values},
    },
    "pubsub": {
        "message": {
            "messageId": json_values,
            "attributes": {"eventType": json_values},
            "data": json_values,
        }
    },
}


def bodies(shape) -> st.SearchStrategy:
    values = shaped(shape) | json_values
    return (
        st.builds(
            lambda value, ascii_only: json.dumps(value, ensure_ascii=ascii_only),
            values,
            st.booleans(),
        ).map(str.encode)
        | st.binary(max_size=80)
        | one_of(b"", b"[" * 100_000, b'{"a":' * 5000, b"\xff\xfe", b"[NaN]")
    )


def assert_answered(response, context):
    """No 5xx; a 4xx is the error envelope."""
    assert response.status_code < 500, context
    if response.status_code >= 400:
        error = json.loads(response.content)["error"]
        assert isinstance(error["code"], str), context
        assert isinstance(error["message"], str), context


def assert_settled_at_once(new_ids, context):
    """Each new event is processed, or dead at its first attempt with a reason."""
    for event_id in new_ids:
        process_webhook_event.run(event_id)
        event = WebhookEvent.objects.get(pk=event_id)
        assert event.status in ("processed", "dead"), (context, event.last_error)
        if event.status == "dead":
            assert (event.attempts, bool(event.last_error)) == (1, True), context


@pytest.mark.parametrize(
    "provider",
    [provider for provider in PROVIDERS if provider.name in SHAPES],
    ids=lambda provider: provider.name,
)
def test_any_signed_body_is_answered_without_a_server_error(provider):
    client = Client(raise_request_exception=False)

    @EXAMPLES
    @given(body=bodies(SHAPES[provider.name]))
    def throw(body):
        before = set(WebhookEvent.objects.values_list("pk", flat=True))
        response = client.post(
            provider.url,
            body,
            content_type="application/json",
            headers=provider.sign(body),
        )
        context = (body[:200], response.status_code, response.content[:300])
        assert_answered(response, context)
        new = set(WebhookEvent.objects.values_list("pk", flat=True)) - before
        assert_settled_at_once(sorted(new), context)

    throw()


form_fields = st.dictionaries(
    one_of("headers", "from", "to", "subject", "text", "html", "envelope"),
    st.text(max_size=60)
    | one_of(
        "Message-ID: <abc@example.com>\nSubject: hi\n",
        "Message-ID: =?utf-8?q?broken\n",
        "Message-ID:\n\tfolded <x@y>\n",
    ),
    max_size=5,
)


def test_any_sendgrid_inbound_body_is_answered_without_a_server_error():
    client = Client(raise_request_exception=False)
    url = f"/webhooks/sendgrid-inbound/{s.SENDGRID_INBOUND}/"

    @EXAMPLES
    @given(
        form=form_fields,
        raw=st.binary(max_size=80),
        content_type=one_of(
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "text/plain",
        ),
        as_form=st.booleans(),
    )
    def throw(form, raw, content_type, as_form):
        if as_form:
            response = client.post(url, form)
        else:
            response = client.post(url, raw, content_type=content_type)
        context = (form if as_form else raw, response.status_code, response.content)
        assert_answered(response, context)

    throw()
