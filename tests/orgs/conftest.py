import pytest
from django.core import mail

from orgs import services
from orgs.models import Role
from tests.factories import UserFactory, member_of
from tests.orgs.links import link_in


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@acme.test")


@pytest.fixture
def org(owner):
    return services.org_create(user=owner, name="Acme")


@pytest.fixture
def admin(org):
    return member_of(org, email="admin@acme.test", role=Role.ADMIN)


@pytest.fixture
def member(org):
    return member_of(org, email="member@acme.test", role=Role.MEMBER)


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@elsewhere.test")


@pytest.fixture
def send_invitation(celery_eager, django_capture_on_commit_callbacks):
    """Invite as `actor`; run the email task; return the invitation and its secret."""

    def send(org, actor, email, role=Role.MEMBER):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                org=org, actor=actor, email=email, role=role
            )
        return invitation, link_in(mail.outbox[-1])

    return send
