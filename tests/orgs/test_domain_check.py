"""A domain counts once DNS proves it: the check asks a real DNS server (on loopback)
for the TXT record, and only the claim's own token verifies it."""

import time

import pytest

from accounts.models import AuditEvent
from config.errors import NotFound, Throttled
from orgs import services
from orgs.models import DomainCheckOutcome, DomainClaim, DomainClaimStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(org, owner, dns_server):
    return services.org_set_allowed_domain(org=org, actor=owner, domain="acme.test")


def _check(claim):
    services.domain_claim_check(claim=claim)
    return DomainClaim.objects.get(pk=claim.pk)


def test_no_record_stays_pending(claim, dns_server):
    checked = _check(claim)
    assert checked.status == DomainClaimStatus.PENDING
    assert checked.check_outcome == DomainCheckOutcome.NO_NAME
    assert checked.checked_at is not None
    assert dns_server.queries == ["_org-verification.acme.test"]


def test_a_name_without_txt_stays_pending(claim, dns_server):
    dns_server.records["_org-verification.acme.test"] = []
    checked = _check(claim)
    assert checked.status == DomainClaimStatus.PENDING
    assert checked.check_outcome == DomainCheckOutcome.NO_RECORD


def test_a_wrong_token_stays_pending(claim, dns_server):
    dns_server.add_txt(claim.txt_name, "org-verification-not-the-token")
    checked = _check(claim)
    assert checked.status == DomainClaimStatus.PENDING
    assert checked.check_outcome == DomainCheckOutcome.WRONG_TOKEN


def test_the_token_at_another_name_does_not_count(claim, dns_server):
    dns_server.add_txt("acme.test", claim.token)
    dns_server.add_txt("_org-verification.acme.test.evil.test", claim.token)
    checked = _check(claim)
    assert checked.status == DomainClaimStatus.PENDING


def test_a_longer_value_containing_the_token_does_not_count(claim, dns_server):
    dns_server.add_txt(claim.txt_name, f"x{claim.token}")
    assert _check(claim).status == DomainClaimStatus.PENDING


def test_the_right_token_verifies(org, claim, dns_server):
    dns_server.add_txt(claim.txt_name, "v=spf1 -all", claim.token)
    checked = _check(claim)
    assert checked.status == DomainClaimStatus.VERIFIED
    assert checked.check_outcome == DomainCheckOutcome.FOUND
    assert checked.verified_at == checked.checked_at is not None
    events = AuditEvent.objects.filter(org_id=org.pk, action="org.domain_verified")
    assert [(e.actor_id, e.metadata) for e in events] == [
        (None, {"domain": "acme.test"})
    ]


def test_a_timeout_stays_pending_and_says_so(claim, dns_server, settings):
    settings.ORGS_DNS_TIMEOUT = 0.5
    dns_server.silent = True
    started = time.monotonic()
    checked = _check(claim)
    assert time.monotonic() - started < 5
    assert checked.status == DomainClaimStatus.PENDING
    assert checked.check_outcome == DomainCheckOutcome.TIMEOUT
    assert "did not answer in time" in checked.get_check_outcome_display()


def test_a_failing_server_stays_pending(claim, dns_server):
    dns_server.servfail = True
    checked = _check(claim)
    assert checked.status == DomainClaimStatus.PENDING
    assert checked.check_outcome == DomainCheckOutcome.DNS_ERROR


def test_a_bad_nameserver_setting_stays_pending(claim, settings):
    settings.ORGS_DNS_NAMESERVERS = ["not-an-address"]
    checked = _check(claim)
    assert checked.status == DomainClaimStatus.PENDING
    assert checked.check_outcome == DomainCheckOutcome.DNS_ERROR


def test_a_claim_replaced_during_its_check_is_not_verified(
    org, owner, claim, dns_server
):
    dns_server.add_txt(claim.txt_name, claim.token)
    services.org_set_allowed_domain(org=org, actor=owner, domain="acme.example")
    services.domain_claim_check(claim=claim)
    assert list(DomainClaim.objects.values_list("domain", "status")) == [
        ("acme.example", "pending")
    ]


def test_the_second_org_to_prove_a_domain_stays_pending(org, owner, claim, dns_server):
    squatter = UserFactory(email="squatter@elsewhere.test")
    squat = services.org_create(user=squatter, name="Squat")
    other = services.org_set_allowed_domain(
        org=squat, actor=squatter, domain="acme.test"
    )
    dns_server.add_txt(claim.txt_name, claim.token, other.token)
    assert _check(claim).status == DomainClaimStatus.VERIFIED
    late = _check(other)
    assert late.status == DomainClaimStatus.PENDING
    assert late.check_outcome == DomainCheckOutcome.TAKEN


# --- "Check now": the page and the task -----------------------------------------------


def test_check_now_on_the_page_runs_the_task(
    client, owner, claim, dns_server, celery_eager, django_capture_on_commit_callbacks
):
    dns_server.add_txt(claim.txt_name, claim.token)
    client.force_login(owner)
    page = client.get("/team/").content.decode()
    assert f"<code>{claim.txt_name}</code>" in page
    assert f"<code>{claim.token}</code>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/team/domain/check/")
    assert response.status_code == 302
    assert DomainClaim.objects.get(pk=claim.pk).status == DomainClaimStatus.VERIFIED
    assert "acme.test</strong> is verified" in client.get("/team/").content.decode()


def test_check_now_with_a_silent_server_is_no_error(
    client,
    owner,
    claim,
    dns_server,
    settings,
    celery_eager,
    django_capture_on_commit_callbacks,
):
    settings.ORGS_DNS_TIMEOUT = 0.5
    dns_server.silent = True
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/team/domain/check/")
    assert response.status_code == 302
    page = client.get("/team/").content.decode()
    assert "The DNS servers did not answer in time." in page
    assert DomainClaim.objects.get(pk=claim.pk).status == DomainClaimStatus.PENDING


def test_check_now_only_by_post(client, owner, claim):
    client.force_login(owner)
    assert client.get("/team/domain/check/").status_code == 405


def test_check_now_without_a_claim(org, owner):
    with pytest.raises(NotFound):
        services.domain_claim_request_check(org=org, actor=owner)


def test_check_now_is_rate_limited(org, owner, claim, settings):
    settings.ORGS_DOMAIN_CHECK_RATE = "2/h"
    services.domain_claim_request_check(org=org, actor=owner)
    services.domain_claim_request_check(org=org, actor=owner)
    with pytest.raises(Throttled):
        services.domain_claim_request_check(org=org, actor=owner)


def test_the_task_skips_a_claim_dropped_meanwhile(org, owner, claim, dns_server):
    from orgs.tasks import check_domain_claim

    dns_server.add_txt(claim.txt_name, claim.token)
    services.org_set_allowed_domain(org=org, actor=owner, domain=None)
    check_domain_claim(claim.pk)
    assert dns_server.queries == []


def test_the_admin_shows_the_claim_state(client, org, claim, dns_server):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    listing = client.get("/admin/orgs/organization/").content.decode()
    assert "acme.test (pending)" in listing
    change = client.get(f"/admin/orgs/organization/{org.pk}/change/").content.decode()
    assert "Pending DNS proof" in change
    assert "Not checked yet." in change
    claims = client.get("/admin/orgs/domainclaim/").content.decode()
    assert "acme.test" in claims
    # Verified only by DNS: the admin cannot mark a claim verified by hand.
    client.post(
        f"/admin/orgs/domainclaim/{claim.pk}/change/",
        {"status": "verified", "domain": "acme.test"},
    )
    assert DomainClaim.objects.get(pk=claim.pk).status == DomainClaimStatus.PENDING
