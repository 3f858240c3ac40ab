"""The team page shows each role the actions it may use; the banner and switcher."""

import pytest

from orgs import services
from orgs.models import DomainClaim, Role
from tests.factories import member_of

pytestmark = pytest.mark.django_db

MANAGE = ['action="/team/invite/"', 'action="/team/rename/"', 'action="/team/domain/"']
OWN = ['action="/team/delete/"', "/transfer/", "/role/"]


@pytest.mark.parametrize(
    ("role", "sees_manage", "sees_own"),
    [("owner", True, True), ("admin", True, False), ("member", False, False)],
)
def test_actions_shown_only_to_roles_that_may_use_them(
    client, org, owner, admin, member, role, sees_manage, sees_own
):
    client.force_login({"owner": owner, "admin": admin, "member": member}[role])
    page = client.get("/team/").content.decode()
    assert "member@acme.test" in page
    for marker in MANAGE:
        assert (marker in page) is sees_manage, marker
    for marker in OWN:
        assert (marker in page) is sees_own, marker
    # The owner here is the last one: not offered a Leave that would fail.
    assert ('action="/team/leave/"' in page) is (role != "owner")


def test_the_switcher_lists_the_users_orgs(client, org, member):
    services.org_create(user=member, name="Side project")
    client.force_login(member)
    page = client.get("/").content.decode()
    assert 'id="org-switcher"' in page
    assert ">Acme</option>" in page
    assert ">Side project</option>" in page


def test_the_banner_accepts_an_invitation(client, org, owner, send_invitation):
    from tests.factories import UserFactory

    invitee = UserFactory(email="new@example.com")
    invitation, _ = send_invitation(org, owner, invitee.email)
    client.force_login(invitee)
    assert (
        f"/invitations/{invitation.pk}/accept/" in client.get("/team/").content.decode()
    )
    client.post(f"/invitations/{invitation.pk}/accept/")
    assert org.memberships.filter(user=invitee).exists()


def test_the_banner_cannot_accept_someone_elses_invitation(
    client, org, owner, send_invitation
):
    from tests.factories import UserFactory

    invitation, _ = send_invitation(org, owner, "someone@example.com")
    intruder = UserFactory(email="intruder@example.com")
    client.force_login(intruder)
    response = client.post(f"/invitations/{invitation.pk}/accept/")
    assert response.status_code == 404
    assert not org.memberships.filter(user=intruder).exists()


def test_a_member_posting_a_managers_action_is_refused(client, org, member):
    client.force_login(member)
    client.post("/team/rename/", {"rename-name": "Hijacked"})
    org.refresh_from_db()
    assert org.name == "Acme"


def test_admin_searches_organizations_by_member_email(client, org, member):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/orgs/organization/", {"q": "member@acme.test"})
    assert response.status_code == 200
    assert "Acme" in response.content.decode()
    change = client.get(f"/admin/orgs/organization/{org.pk}/change/")
    assert "member@acme.test" in change.content.decode()  # the membership inline


@pytest.mark.parametrize(
    ("url", "data", "form", "field", "message"),
    [
        (
            "/team/invite/",
            {"invite-email": "not-an-address"},
            "invite_form",
            "email",
            "Enter a valid email address.",
        ),
        (
            "/team/invite/",
            {"invite-email": "member@acme.test", "invite-role": "member"},
            "invite_form",
            "email",
            "Already a member.",
        ),
        (
            "/team/domain/",
            {"domain-domain": "gmail.com"},
            "domain_form",
            "domain",
            "Anyone can get an address at gmail.com.",
        ),
        (
            "/team/rename/",
            {"rename-name": ""},
            "rename_form",
            "name",
            "This field is required.",
        ),
        (
            "/team/delete/",
            {"delete-confirm_name": "acme"},
            "delete_form",
            "confirm_name",
            "This is not the organization's name.",
        ),
    ],
)
def test_errors_show_next_to_the_field_and_change_nothing(
    client, org, owner, member, url, data, form, field, message
):
    client.force_login(owner)
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context[form].errors[field] == [message]
    org.refresh_from_db()
    assert org.name == "Acme"
    assert not DomainClaim.objects.filter(org=org).exists()


LEAVE = 'action="/team/leave/"'


def test_the_last_owner_is_not_offered_leave(client, org, owner, member):
    client.force_login(owner)
    page = client.get("/team/").content.decode()
    assert LEAVE not in page
    assert "You are the last owner of Acme" in page
    assert 'action="/team/delete/"' in page  # what they may do instead


def test_an_owner_with_a_co_owner_may_leave(client, org, owner):
    co_owner = member_of(org, email="co@acme.test", role=Role.OWNER)
    for user in (owner, co_owner):
        client.force_login(user)
        page = client.get("/team/").content.decode()
        assert LEAVE in page
        assert "You are the last owner" not in page


def test_sections_come_in_the_order_of_the_task(client, org, owner, member):
    client.force_login(owner)
    page = client.get("/team/").content.decode()
    order = [
        'id="members-heading"',
        'id="invitations-heading"',
        'action="/team/invite/"',
        'id="settings-heading"',
        'id="danger-heading"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    # Leaving and deleting sit together in the danger zone, nowhere else.
    danger = page[page.index('id="danger-heading"') :]
    assert 'action="/team/delete/"' in danger
    assert page.count('action="/team/delete/"') == 1


def test_a_member_sees_members_then_the_danger_zone(client, org, member):
    client.force_login(member)
    page = client.get("/team/").content.decode()
    assert 'id="settings-heading"' not in page
    assert 'id="invitations-heading"' not in page
    members = page.index('id="members-heading"')
    assert members < page.index('id="danger-heading"') < page.index(LEAVE)


def test_a_bad_invitation_comes_back_next_to_its_field(client, org, owner):
    client.force_login(owner)
    response = client.post("/team/invite/", {"invite-email": "not-an-email"})
    assert response.status_code == 400
    page = response.content.decode()
    invite_form = page[page.index('action="/team/invite/"') :]
    assert 'class="errorlist' in invite_form.split("</form>")[0]
    assert 'aria-invalid="true"' in invite_form.split("</form>")[0]


def test_the_team_page_has_no_inline_style_or_script(client, org, owner):
    client.force_login(owner)
    page = client.get("/team/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "style=" not in main
    assert "<script" not in main
    assert " on" + "click=" not in main
