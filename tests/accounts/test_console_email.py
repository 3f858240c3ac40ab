"""Console email prints readable text: every link whole on one line.

Django's console backend prints the wire format, where a line longer than 78
characters is quoted-printable (`…=` newline `…`); `consolemail://` (the local
default) prints decoded text parts instead (config/mail.py).
"""

import io
import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from config.mail import EmailBackend
from config.settings.base import mailer_from_url
from orgs import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONG_LINK = "http://127.0.0.1:8000/accounts/confirm-email/" + "Mg:1vQx_" * 12 + "/"


def test_consolemail_url_uses_the_readable_backend():
    assert mailer_from_url("consolemail://")["BACKEND"] == "config.mail.EmailBackend"


def test_a_long_link_prints_whole_on_one_line():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        "Confirm — ünïcode",
        f"Open this link:\n\n{LONG_LINK}\n",
        "noreply@localhost",
        ["bob@x.test"],
        alternatives=[(f'<a href="{LONG_LINK}">confirm</a>', "text/html")],
    )
    EmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert LONG_LINK in printed.splitlines()
    assert f'<a href="{LONG_LINK}">confirm</a>' in printed.splitlines()
    assert "=\n" not in printed
    assert "Subject: Confirm — ünïcode" in printed


def test_an_invitation_printed_by_the_console_backend_has_its_link_on_one_line(
    settings, capsys, celery_eager, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": mailer_from_url("consolemail://")}
    owner = UserFactory(email="alice@x.test")
    org = services.org_create(user=owner, name="Acme " + "with a long name " * 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(org=org, actor=owner, email="bob@x.test")
    printed = capsys.readouterr().out
    assert not mail.outbox  # printed, not kept
    links = re.findall(r"^http://\S+/invitations/inv_[A-Za-z0-9_-]+/$", printed, re.M)
    assert len(links) == 1
    assert len(links[0]) > 78  # long enough that quoted-printable would break it
    assert "=\n" not in printed
