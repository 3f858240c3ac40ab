"""Schemathesis, an outside client, against the live `/api/schema/`: whatever it
sends to any operation, valid input or not, the answer is no 5xx and is what the
document says (a documented status, content type and schema).

Each operation is called by an identity of its own, the owner of an organization
with a memo and a folder, so a destructive operation (`delete-org`,
`leave-org`) changes nothing another operation sees. Hypothesis is derandomized
and bounded: the same cases every run, `EXAMPLES_PER_OPERATION` per operation.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create
from orgs import services as orgs
from scoping.scopes import scope
from tests.factories import UserFactory
from tests.testapp import services as memos

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _owner_with_token(label: str) -> dict[str, str]:
    """A new user owning a new organization with a memo and a folder; the
    Authorization header of a personal token of theirs."""
    user = UserFactory()
    org = orgs.org_create(user=user, name=f"Org for {label}"[:100])
    with scope(owner_email=user.email, org_id=org.pk):
        folder = memos.folder_create(name="A folder")
        memos.memo_create(title="A memo", folder_id=folder.pk)
    _, secret = api_token_create(user=user, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api_schema(live_server, settings):
    # Many calls per operation and second: the run is about answers, not limits.
    settings.ACTIONS_DEFAULT_THROTTLE_RATE = "100000/min"
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/",
        headers=_owner_with_token("loading the schema"),
        timeout=30,
    )


def test_every_answer_is_what_the_schema_says(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "GET /api/actions/",
        "GET /api/me/",
        "GET /api/actions/list-memos/",
        "POST /api/actions/list-memos/",
        "POST /api/actions/create-memo/",
    }
    failures = {}
    for operation in operations:
        try:
            _fuzz(operation, headers=_owner_with_token(operation.label))
        except (Exception, BaseExceptionGroup) as failure:
            failures[operation.label] = failure
    assert not failures, "\n\n".join(f"{op}: {f}" for op, f in failures.items())


def _fuzz(operation, *, headers: dict[str, str]) -> None:
    """Call `operation` with input that fits its schema and input that does not;
    raise what the checks find."""
    cases = operation.as_strategy(
        GenerationMode.POSITIVE, headers=headers
    ) | operation.as_strategy(GenerationMode.NEGATIVE, headers=headers)

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],  # report the failing case as found, unshrunk
    )
    @given(case=cases)
    def call(case):
        case.call_and_validate(checks=CHECKS, timeout=30)

    call()
