"""Random JSON thrown at every action never makes a 500."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions import registry
from tests.factories import member_of
from tests.strategies import json_values

pytestmark = pytest.mark.django_db

field_names = st.sampled_from(
    [
        "id",
        "title",
        "body",
        "name",
        "email",
        "role",
        "org",
        "invitation",
        "sql",
        "params",
        "folder",
        "limit",
        "q",
        "domain",
        "confirm_name",
    ]
)
inputs = json_values | st.dictionaries(field_names, json_values, max_size=5)


@pytest.fixture
def client(world, settings):
    settings.ACTIONS_DEFAULT_THROTTLE_RATE = "100000/min"
    client = Client(raise_request_exception=False)
    owner = member_of(world.acme, email="fuzz@acme.test", role="owner")
    client.force_login(owner)
    return client


@pytest.mark.slow
@pytest.mark.parametrize("name", [a.name for a in registry.all_actions()])
def test_random_json_never_makes_a_500(client, name):
    action = registry.get(name)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(data=inputs)
    def throw(data):
        path = f"/api/actions/{name}/"
        if action.read_only:
            params = data if isinstance(data, dict) else {"value": data}
            response = client.get(path, {k: json.dumps(v) for k, v in params.items()})
        else:
            response = client.post(
                path, json.dumps(data), content_type="application/json"
            )
        assert response.status_code < 500, (data, response.content[:500])
        assert response.headers["Content-Type"].startswith("application/json")

    throw()
