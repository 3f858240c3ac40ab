"""Claiming an org's email domain: a pending claim with a token, never a free-mail,
ISP or disposable domain, never a malformed one, one proved org per domain."""

import pytest

from accounts.models import AuditEvent
from config.errors import Conflict, InvalidInput
from orgs import domains, services
from orgs.models import DomainCheckOutcome, DomainClaim, DomainClaimStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_claiming_makes_a_pending_claim_with_a_token(org, owner):
    claim = services.org_set_allowed_domain(org=org, actor=owner, domain=" ACME.test. ")
    assert claim.domain == "acme.test"
    assert claim.status == DomainClaimStatus.PENDING
    assert claim.check_outcome == DomainCheckOutcome.NOT_CHECKED
    assert claim.txt_name == "_org-verification.acme.test"
    assert claim.token.startswith("org-verification-")
    assert len(claim.token) > 40
    assert AuditEvent.objects.filter(
        org_id=org.pk, action="org.domain_claimed", metadata={"domain": "acme.test"}
    ).exists()


def test_each_claim_has_its_own_token(org, owner):
    first = services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    other = services.org_create(user=owner, name="Acme 2")
    second = services.org_set_allowed_domain(org=other, actor=owner, domain="acme.test")
    assert first.token != second.token


def test_the_domain_needs_no_address_of_the_setters_there(org, owner):
    """DNS control is the proof; an address at the domain proved nothing."""
    claim = services.org_set_allowed_domain(org=org, actor=owner, domain="acme.example")
    assert claim.domain == "acme.example"


def test_setting_the_same_domain_again_keeps_the_token(org, owner):
    first = services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    again = services.org_set_allowed_domain(org=org, actor=owner, domain="Acme.Test")
    assert again.pk == first.pk
    assert again.token == first.token
    assert AuditEvent.objects.filter(action="org.domain_claimed").count() == 1


def test_another_domain_replaces_a_verified_one_and_is_pending(
    org, owner, prove_domain
):
    proved = prove_domain(org, owner, "acme.test")
    claim = services.org_set_allowed_domain(org=org, actor=owner, domain="acme.example")
    assert claim.status == DomainClaimStatus.PENDING
    assert claim.token != proved.token
    assert list(DomainClaim.objects.values_list("domain", flat=True)) == [
        "acme.example"
    ]


def test_clearing_drops_the_claim(org, owner):
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    assert services.org_set_allowed_domain(org=org, actor=owner, domain="") is None
    assert not DomainClaim.objects.filter(org=org).exists()
    assert AuditEvent.objects.filter(
        org_id=org.pk, action="org.domain_dropped"
    ).exists()


@pytest.mark.parametrize(
    "domain",
    [
        # The three squatted consumer domains from the issue, the obvious ones, and
        # a disposable-address service (only on the disposable list).
        "comcast.net",
        "free.fr",
        "posteo.de",
        "gmail.com",
        "outlook.com",
        "proton.me",
        "qq.com",
        "guerrillamail.com",
        # A subdomain of one is no way around the list.
        "mail.free.fr",
        "GMAIL.COM.",
    ],
)
def test_free_mail_isp_and_disposable_domains_are_refused(org, owner, domain):
    with pytest.raises(InvalidInput) as refused:
        services.org_set_allowed_domain(org=org, actor=owner, domain=domain)
    assert "Anyone can get an address" in refused.value.fields["domain"][0]
    assert not DomainClaim.objects.exists()


def test_the_lists_come_from_the_packages():
    assert domains.is_free_mail("comcast.net")
    assert domains.is_free_mail("guerrillamail.com")
    assert not domains.is_free_mail("acme.test")


def test_a_deployment_adds_domains_the_lists_miss(org, owner, settings):
    settings.ORGS_UNCLAIMABLE_DOMAINS = ["Tuta.io"]
    with pytest.raises(InvalidInput):
        services.org_set_allowed_domain(org=org, actor=owner, domain="tuta.io")
    assert not DomainClaim.objects.exists()


@pytest.mark.parametrize(
    "domain",
    [
        "localhost",
        "127.0.0.1",
        "192.168.0.1",
        "[::1]",
        "::1",
        "acme..test",
        ".acme.test",
        "-acme.test",
        "acme-.test",
        "*.acme.test",
        "_dmarc.acme.test",
        "acme.test/path",
        "https://acme.test",
        "user@acme.test",
        "acme.test:53",
        "acme test",
        "acme.test\nEvil: header",
        "acme.test\x00.evil.test",
        'acme.test" onmouseover="x',
        "<script>.test",
        "acme.tést",
        "\uff41\uff43\uff4d\uff45.test",  # fullwidth "acme"
        "a" * 64 + ".test",
        ("a" * 60 + ".") * 4 + "test",
        ".",
    ],
)
def test_hostile_domain_strings_are_refused(org, owner, domain):
    with pytest.raises(InvalidInput) as refused:
        services.org_set_allowed_domain(org=org, actor=owner, domain=domain)
    assert refused.value.fields["domain"]
    assert not DomainClaim.objects.exists()


def test_a_punycode_domain_is_accepted(org, owner):
    claim = services.org_set_allowed_domain(
        org=org, actor=owner, domain="xn--bcher-kva.example"
    )
    assert claim.domain == "xn--bcher-kva.example"


def test_pending_claims_by_others_do_not_block_the_domain(org, owner):
    squatter = UserFactory(email="squatter@elsewhere.test")
    squat = services.org_create(user=squatter, name="Squat")
    services.org_set_allowed_domain(org=squat, actor=squatter, domain="acme.test")
    claim = services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")
    assert claim.status == DomainClaimStatus.PENDING


def test_a_domain_another_org_proved_is_refused(org, owner, prove_domain):
    prove_domain(org, owner, "acme.test")
    colleague = UserFactory(email="c@acme.test")
    second = services.org_create(user=colleague, name="Acme 2")
    with pytest.raises(Conflict):
        services.org_set_allowed_domain(org=second, actor=colleague, domain="acme.test")
    assert not DomainClaim.objects.filter(org=second).exists()


def test_the_database_holds_one_verified_org_per_domain(org, owner, prove_domain):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    prove_domain(org, owner, "acme.test")
    other = services.org_create(user=owner, name="Acme 2")
    with pytest.raises(IntegrityError), transaction.atomic():
        DomainClaim.objects.create(
            org=other,
            domain="acme.test",
            token="t",
            status=DomainClaimStatus.VERIFIED,
            verified_at=timezone.now(),
        )


@pytest.mark.parametrize("domain", ["acme.test\n<script>", "127.0.0.1", "x" * 300])
def test_hostile_domains_through_the_page_and_the_api_are_400s(
    client, org, owner, domain
):
    from tests.actions.conftest import call

    client.force_login(owner)
    response = client.post("/team/domain/", {"domain-domain": domain})
    assert response.status_code == 400
    assert response.context["domain_form"].errors["domain"]
    answer = call(owner, "set-allowed-domain", {"domain": domain})
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["domain"]
    assert not DomainClaim.objects.exists()
