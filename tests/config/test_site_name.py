"""The site's name comes from one setting: titles, the header and its logo, emails."""

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_carry_the_site_name_in_the_title_and_header(settings, user):
    settings.SITE_NAME = "Northwind Desk"
    client = Client()
    signed_out = client.get("/accounts/login/").content.decode()
    assert "· Northwind Desk</title>" in signed_out
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Dashboard · Northwind Desk</title>" in page
    assert '<span class="logo" aria-hidden="true">N</span> Northwind Desk' in page


def test_pages_without_a_request_context_carry_it_too(settings, rf):
    from config.views import server_error

    settings.SITE_NAME = "Northwind Desk"
    page = server_error(rf.get("/")).content.decode()
    assert "Server error · Northwind Desk</title>" in page


def test_account_emails_say_which_site_they_come_from(settings, user):
    prefix = f"[{settings.SITE_NAME}] "
    assert prefix == settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    Client().post("/accounts/password/reset/", {"email": user.email})
    [message] = mail.outbox
    assert message.subject.startswith(prefix)


def test_the_invitation_email_names_the_site(
    settings, celery_eager, django_capture_on_commit_callbacks
):
    from orgs import services
    from tests.factories import UserFactory

    settings.SITE_NAME = "Northwind Desk"
    owner = UserFactory()
    org = services.org_create(user=owner, name="Acme")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(org=org, actor=owner, email="new@example.com")
    [message] = mail.outbox
    assert message.subject == "[Northwind Desk] You are invited to Acme"
    assert "join Acme on Northwind Desk" in message.body
