import json

import pytest
from django.test import Client

from accounts.services import api_token_create
from actions import registry
from orgs.models import Role
from tests.factories import UserFactory, member_of


@pytest.fixture
def erin(world):
    """An admin of Acme."""
    return member_of(world.acme, email="erin@acme.test", role=Role.ADMIN)


@pytest.fixture
def dave(db, settings):
    """Signed up, in no organization (and none is made for him)."""
    settings.ORGS_AUTO_CREATE_DEFAULT_ORG = False
    return UserFactory(email="dave@nowhere.test")


def call(user, name: str, data=None, *, client=None):
    """Call an action over HTTP as `user` (with a personal token), or anonymously."""
    client = client or Client()
    headers = {}
    if user is not None:
        _, secret = api_token_create(user=user, name=f"t-{name}-{id(data)}")
        headers["Authorization"] = f"Bearer {secret}"
    action = registry.get(name)
    path = f"/api/actions/{name}/"
    if action is not None and action.read_only:
        return client.get(path, data or {}, headers=headers)
    body = json.dumps({} if data is None else data)
    return client.post(path, body, content_type="application/json", headers=headers)
