import pytest
from django.core import mail

from orgs import services
from orgs.models import Role
from tests.factories import UserFactory, member_of
from tests.orgs.dns_server import DNSServer
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


@pytest.fixture
def dns_server(settings):
    """A real DNS server on loopback, the only one the domain check asks."""
    with DNSServer() as server:
        settings.ORGS_DNS_NAMESERVERS = [f"127.0.0.1:{server.port}"]
        settings.ORGS_DNS_TIMEOUT = 1.0
        yield server


@pytest.fixture
def prove_domain(dns_server):
    """Claim `domain` for `org` as `actor`, publish its token, check: verified."""

    def prove(org, actor, domain):
        claim = services.org_set_allowed_domain(org=org, actor=actor, domain=domain)
        dns_server.add_txt(claim.txt_name, claim.token)
        claim = services.domain_claim_check(claim=claim)
        assert claim.is_verified, claim.check_outcome
        return claim

    return prove
