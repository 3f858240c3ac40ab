"""An org's joinable domain: the setter's own verified domain, not free mail, unique."""

import pytest

from config.errors import Conflict, InvalidInput
from orgs import services
from orgs.domains import is_free_mail
from orgs.models import Organization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_owner_sets_their_own_domain(org, owner):
    services.org_set_allowed_domain(org=org, actor=owner, domain=" ACME.test ")
    org.refresh_from_db()
    assert org.allowed_domain == "acme.test"


def test_another_domain_is_refused(org, owner):
    with pytest.raises(InvalidInput):
        services.org_set_allowed_domain(org=org, actor=owner, domain="evil.test")
    assert Organization.objects.get(pk=org.pk).allowed_domain is None


def test_an_unverified_address_does_not_prove_the_domain(db):
    user = UserFactory(email="boss@corp.test", verified=False)
    org = services.org_create(user=user, name="Corp")
    with pytest.raises(InvalidInput):
        services.org_set_allowed_domain(org=org, actor=user, domain="corp.test")


@pytest.mark.parametrize("domain", ["gmail.com", "outlook.com", "proton.me", "qq.com"])
def test_free_mail_domains_are_refused(db, domain):
    user = UserFactory(email=f"someone@{domain}")
    org = services.org_create(user=user, name="Mine")
    with pytest.raises(InvalidInput):
        services.org_set_allowed_domain(org=org, actor=user, domain=domain)
    assert is_free_mail(domain)


def test_one_org_per_domain(org, owner):
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    colleague = UserFactory(email="c@acme.test")
    second = services.org_create(user=colleague, name="Acme 2")
    with pytest.raises(Conflict):
        services.org_set_allowed_domain(org=second, actor=colleague, domain="acme.test")
    assert Organization.objects.get(pk=second.pk).allowed_domain is None


def test_clearing_the_domain(org, owner):
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    services.org_set_allowed_domain(org=org, actor=owner, domain="")
    assert Organization.objects.get(pk=org.pk).allowed_domain is None
