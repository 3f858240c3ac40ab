"""A signed timestamp that is not a plausible Unix time is refused (401) before any
signature is computed, for every provider that signs one, even when the request is
signed correctly over that very timestamp."""

import json

import pytest

from tests.webhooks import signing
from tests.webhooks.conftest import post
from tests.webhooks.providers import BY_NAME, SIGN_AT
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _implausible(now: str) -> dict[str, str]:
    """Timestamps that are not a Unix time in ASCII digits; some of them are what
    int() would take for the current time."""
    return {
        "huge": "1" + "0" * 400,  # overflows a float when compared with the clock
        "letters": "abc",
        "empty": "",
        "negative": f"-{now}",
        "float": f"{now}.0",
        "leading space": f" {now}",
        "trailing tab": f"{now}\t",
        "plus sign": f"+{now}",
        "underscores": f"{now[:4]}_{now[4:]}",
        "unicode digits": now.translate(ARABIC_INDIC),
        "milliseconds": now + "000",
    }


CASES = [(name, label) for name in SIGN_AT for label in _implausible(signing.now())]


@pytest.mark.parametrize(
    ("provider", "case"), CASES, ids=[f"{p}-{c}" for p, c in CASES]
)
def test_an_implausible_timestamp_is_refused_even_when_signed(client, provider, case):
    timestamp = _implausible(signing.now())[case]
    body = json.dumps(BY_NAME[provider].payload()).encode()
    headers = SIGN_AT[provider](body, timestamp)
    response = post(client, BY_NAME[provider], body, headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("provider", list(SIGN_AT))
def test_the_current_time_in_ascii_digits_is_accepted(client, provider):
    body = json.dumps(BY_NAME[provider].payload()).encode()
    headers = SIGN_AT[provider](body, signing.now())
    assert post(client, BY_NAME[provider], body, headers).status_code == 200
