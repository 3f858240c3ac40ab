"""Where accepting needs a verified address and it is not, the page says so and
offers to send the verification code; the link's page says the link will do."""

import pytest
from django.core import mail

from orgs.models import ActiveOrg, Membership
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SEND_FORM = 'action="/accounts/email/"'


def test_the_links_page_says_accepting_verifies_the_address(
    client, org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test", verified=False)
    _, secret = send_invitation(org, owner, bob.email)
    client.force_login(bob)
    page = client.get(f"/invitations/{secret}/").content.decode()
    assert "Accepting from this link verifies bob@x.test" in page
    assert SEND_FORM not in page


def test_where_verification_is_required_the_links_page_offers_the_code(
    settings, client, org, owner, send_invitation
):
    settings.ACCOUNTS_AUTH_SKIP_EMAIL_VERIFICATION = False
    bob = UserFactory(email="bob@x.test", verified=False)
    _, secret = send_invitation(org, owner, bob.email)
    client.force_login(bob)
    page = client.get(f"/invitations/{secret}/").content.decode()
    assert "To accept, verify bob@x.test first" in page
    assert SEND_FORM in page
    assert 'name="action_send"' in page
    # Refused, the accept comes back to the link's page, which says why.
    response = client.post(f"/invitations/{secret}/accept/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/invitations/{secret}/"
    assert "not verified yet" in page
    assert SEND_FORM in page
    assert not Membership.objects.filter(user=bob).exists()


def test_the_banner_offers_the_code_for_an_unverified_invitation(
    client, org, owner, send_invitation
):
    bob = UserFactory(email="bob@x.test", verified=False)
    send_invitation(org, owner, bob.email)
    client.force_login(bob)
    page = client.get("/").content.decode()
    assert "which is not verified yet" in page
    assert SEND_FORM in page
    sent = len(mail.outbox)
    client.post("/accounts/email/", {"email": "bob@x.test", "action_send": ""})
    assert len(mail.outbox) == sent + 1
    assert mail.outbox[-1].to == ["bob@x.test"]


def test_signing_up_from_the_link_joins_without_a_workspace_of_ones_own(
    client, org, owner, send_invitation
):
    _, secret = send_invitation(org, owner, "bob@x.test")
    link = f"/invitations/{secret}/"
    response = client.post(
        f"/accounts/signup/?next={link}",
        {"email": "bob@x.test", "password1": PASSWORD, "name": "Bob"},
    )
    assert response.status_code == 302
    assert response["Location"] == link
    client.get(link)
    assert not Membership.objects.filter(user__email="bob@x.test").exists()
    response = client.post(f"{link}accept/", follow=True)
    assert f"You joined {org.name}" in response.content.decode()
    bob = Membership.objects.get(org=org, user__email="bob@x.test").user
    assert list(Membership.objects.filter(user=bob).values_list("org", flat=True)) == [
        org.pk
    ]
    assert ActiveOrg.objects.get(user=bob).org == org
