"""Django admin: every model of the project's apps has a useful, safe page.

A superuser walks every registered ModelAdmin (the project's and the libraries'):
the changelist, a search per search field that finds a planted row, every filter
choice, the date drill-down, and one row's change form all answer 200, and no page
shows a secret planted in the data — a Secret's plaintext, an API token's secret or
digest, an OAuth access token, a social app's client secret, an invitation's link
secret, or any ciphertext. Each app has a section of its own, under its own name.
"""

import uuid
from types import SimpleNamespace

import pytest
from allauth.idp.oidc.models import Client
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib import admin
from django.core import mail
from django.db.models import Model
from django.urls import reverse

from a2a.models import A2ATask, TaskState
from accounts import secrets
from accounts.models import ApiToken, OAuthToken, Secret
from accounts.oauth import services as oauth_services
from accounts.oauth.models import RotatedRefreshToken
from accounts.services import api_token_create
from orgs import services as orgs
from orgs.models import Invitation, Role
from scoping.scopes import unscoped
from tests.factories import UserFactory, member_of
from tests.orgs.links import link_in
from tests.scopes import as_
from tests.testapp.models import Folder, Memo
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

# The project's apps that are installed: the example app may have been deleted.
PROJECT_APPS = [
    label
    for label in ("accounts", "orgs", "a2a", "webhooks", "notes", "scoping", "testapp")
    if apps.is_installed(label) or apps.is_installed(f"tests.{label}")
]
SECRET_PLAINTEXT = "sk_live_planted_secret_0123456789"
OAUTH_ACCESS_TOKEN = "ya29.planted-oauth-access-token-abcdef"
OAUTH_REFRESH_TOKEN = "1//planted-oauth-refresh-token-uvwxyz"
CLIENT_SECRET = "GOCSPX-planted-client-secret-0123"


@pytest.fixture
def planted(celery_eager, django_capture_on_commit_callbacks):
    """One row (at least) in every project model, and the secrets they hold."""
    owner = UserFactory(email="owner@acme.test", name="Olive Owner")
    with django_capture_on_commit_callbacks(execute=True):
        acme = orgs.org_create(user=owner, name="Acme", switch=True)
        member = member_of(acme, email="member@acme.test", role=Role.MEMBER)
        removed = member_of(acme, email="gone@acme.test", role=Role.MEMBER)
        orgs.member_remove(org=acme, actor=owner, member=removed)
        orgs.invitation_create(org=acme, actor=owner, email="new@example.com")
        orgs.org_set_allowed_domain(org=acme, actor=owner, domain="acme.test")
    invitation_secret = link_in(mail.outbox[-1])
    token, token_secret = api_token_create(user=owner, name="ci", org_id=acme.pk)
    secret = secrets.secret_set(
        user=owner, org=acme, name="OPENAI_KEY", value=SECRET_PLAINTEXT
    )
    with as_(owner, acme):
        oauth = secrets.oauth_token_save(
            provider="google",
            account_id="olive-google-id",
            token={
                "access_token": OAUTH_ACCESS_TOKEN,
                "refresh_token": OAUTH_REFRESH_TOKEN,
            },
        )
        folder = Folder.objects.create(name="Plans")
        Memo.objects.create(title="Launch", body="Soon", folder=folder)
        if apps.is_installed("notes"):
            notebook = apps.get_model("notes", "Notebook").objects.create(name="Plans")
            apps.get_model("notes", "Note").objects.create(
                title="Launch", body="<p>Soon</p>", notebook=notebook
            )
            apps.get_model("notes", "SharedNote").objects.create(
                title="Plan", body="<p>For all</p>", notebook=notebook, author=owner
            )
        A2ATask.objects.create(
            id=uuid.uuid4(),
            context_id="ctx-1",
            state=TaskState.COMPLETED,
            action="note-create",
            arguments={"title": "Launch"},
            issuer="agent.example",
        )
    session_key = "plantedsessionkey0123456789abcd"
    UserSession.objects.create(
        user=owner, ip="192.0.2.1", session_key=session_key, user_agent="Firefox"
    )
    totp_secret = "JBSWY3DPEHPK3PXPPLANTED"
    TOTP.activate(owner, totp_secret)
    app = SocialApp.objects.create(
        provider="google", name="Google", client_id="c", secret=CLIENT_SECRET
    )
    account = SocialAccount.objects.create(user=owner, provider="google", uid="g-1")
    SocialToken.objects.create(
        app=app, account=account, token=OAUTH_ACCESS_TOKEN, token_secret="ts-planted"
    )
    mcp_client = Client.objects.create(name="Agent Host", type=Client.Type.PUBLIC)
    grant = oauth_services.grant_save(
        client=mcp_client, user=owner, org=acme, scopes=["mcp:read"]
    )
    RotatedRefreshToken.objects.create(grant=grant, hash="0" * 64)
    WebhookEvent.objects.create(
        provider="slack",
        event_id="Ev123",
        event_type="message",
        headers={"X-Slack-Request-Timestamp": "1"},
        body=b'{"type": "message"}',
    )
    with unscoped(reason="test: the rows' stored ciphertext"):
        secret.refresh_from_db()
        oauth.refresh_from_db()
    # Every project model has a row, so each change form below is exercised.
    for model in _project_models():
        with unscoped(reason="test: every model has a row"):
            assert model._default_manager.exists(), model
    return SimpleNamespace(
        owner=owner,
        member=member,
        hidden=[
            SECRET_PLAINTEXT,
            secret.value,  # the ciphertext
            token_secret,
            token.digest,
            OAUTH_ACCESS_TOKEN,
            OAUTH_REFRESH_TOKEN,
            oauth.token,  # the ciphertext
            invitation_secret,
            Invitation.objects.get().token_digest,
            session_key,
            totp_secret,
            Authenticator.objects.get().data["secret"],  # sealed
            "ts-planted",
            CLIENT_SECRET,
        ],
    )


@pytest.fixture
def staff_client(client, planted):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _project_models() -> list[type[Model]]:
    return [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    ]


def _admin_url(model, view, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _value_at(model, path: str):
    """A stored value of the (possibly related) field `path`, to search for."""
    with unscoped(reason="test: a value to search for"):
        values = model._default_manager.exclude(**{f"{path}__isnull": True})
        for value in values.values_list(path, flat=True):
            if str(value).strip():
                return str(value)
    return None


def _get(client, url, hidden, params=None):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    page = response.content.decode()
    for secret in hidden:
        assert secret not in page, (url, params, secret[:12])
    return response


def test_every_project_model_is_in_the_admin():
    missing = [
        m._meta.label for m in _project_models() if m not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: m._meta.label
)
def test_every_admin_page_answers_and_hides_secrets(staff_client, planted, model):
    model_admin = admin.site._registry[model]
    hidden = planted.hidden
    changelist = _admin_url(model, "changelist")
    response = _get(staff_client, changelist, hidden)
    cl = response.context["cl"]

    for field in model_admin.get_search_fields(response.wsgi_request):
        path = field.lstrip("^=@")
        value = _value_at(model, path)
        found = _get(staff_client, changelist, hidden, {"q": value or "nothing"})
        if value is not None:
            assert found.context["cl"].result_count >= 1, (field, value)

    for spec in cl.filter_specs:
        for choice in spec.choices(cl):
            _get(staff_client, changelist + choice["query_string"], hidden)

    if model_admin.date_hierarchy:
        with unscoped(reason="test: a date to drill into"):
            row = model._default_manager.order_by().first()
        if row is not None:
            when = getattr(row, model_admin.date_hierarchy)
            params = {f"{model_admin.date_hierarchy}__year": when.year}
            drilled = _get(staff_client, changelist, hidden, params)
            assert drilled.context["cl"].result_count >= 1

    with unscoped(reason="test: one row to open"):
        row = model._default_manager.order_by().first()
    if row is not None:
        _get(staff_client, _admin_url(model, "change", row.pk), hidden)
    if model_admin.has_add_permission(response.wsgi_request):
        _get(staff_client, _admin_url(model, "add"), hidden)


@pytest.mark.parametrize("model", [A2ATask, WebhookEvent, Secret, OAuthToken])
def test_records_are_read_only(staff_client, model):
    from accounts.models import AuditEvent

    for read_only in (model, AuditEvent):
        with unscoped(reason="test: a record to try to change"):
            row = read_only._default_manager.order_by().first()
        change = _admin_url(read_only, "change", row.pk)
        page = staff_client.get(change).content.decode()
        assert 'name="_save"' not in page  # a view, not a form
        assert staff_client.post(change, {}).status_code == 403
        delete = staff_client.post(_admin_url(read_only, "delete", row.pk))
        assert delete.status_code == 403
        assert staff_client.get(_admin_url(read_only, "add")).status_code == 403
        with unscoped(reason="test: the record is still there"):
            assert read_only._default_manager.filter(pk=row.pk).exists()


def test_each_app_has_a_section_of_its_own_name(staff_client):
    sections = staff_client.get(reverse("admin:index")).context["app_list"]
    names = [section["name"] for section in sections]
    assert len(names) == len(set(names)), names
    by_label = {section["app_label"]: section["name"] for section in sections}
    assert by_label["accounts"] == "Accounts"
    assert by_label["account"] == "Email addresses"  # allauth's, also "Accounts"
    assert by_label["mfa"] == "Two-factor authentication"


def test_a_social_apps_secret_is_write_only(staff_client, planted):
    app = SocialApp.objects.get()
    change = _admin_url(SocialApp, "change", app.pk)
    page = staff_client.get(change).content.decode()
    assert CLIENT_SECRET not in page
    assert 'type="password" name="secret"' in page

    form = {
        "provider": "google",
        "provider_id": "",
        "name": "Google",
        "client_id": "c",
        "key": "",
        "settings": "{}",
    }
    kept = staff_client.post(change, {**form, "secret": ""})
    assert kept.status_code == 302
    app.refresh_from_db()
    assert app.secret == CLIENT_SECRET  # left empty: the stored one stays
    replaced = staff_client.post(change, {**form, "secret": "GOCSPX-new-secret"})
    assert replaced.status_code == 302
    app.refresh_from_db()
    assert app.secret == "GOCSPX-new-secret"
    assert "GOCSPX-new-secret" not in staff_client.get(change).content.decode()


def test_sections_and_names_read_well(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    for name in [
        "Accounts",
        "Email addresses",
        "Social sign-in",
        "Two-factor authentication",
        "Signed-in sessions",
        "Organizations",
        "Agent-to-agent",
        "Webhooks",
        "API tokens",
        "OAuth tokens",
        "Audit events",
        "A2A tasks",
        "Webhook events",
        "Active organizations",
        "Memberships",
    ]:
        assert f">{name}<" in page, name


def test_an_api_token_can_be_revoked_but_not_rebound(staff_client, planted):
    token = ApiToken.objects.get()
    page = staff_client.get(_admin_url(ApiToken, "change", token.pk)).content.decode()
    assert 'name="revoked_at_0"' in page
    assert 'name="bound_org"' not in page
    assert 'name="digest"' not in page
