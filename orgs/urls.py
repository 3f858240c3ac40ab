from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/create/", views.org_create, name="create"),
    path("team/rename/", views.org_rename, name="rename"),
    path("team/delete/", views.org_delete, name="delete"),
    path("team/domain/", views.org_set_domain, name="set_domain"),
    path("team/domain/check/", views.domain_check, name="domain_check"),
    path("team/join/", views.join_by_domain, name="join_by_domain"),
    path("team/leave/", views.leave, name="leave"),
    path("team/invite/", views.invite, name="invite"),
    path(
        "team/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "team/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "team/members/<int:user_id>/remove/", views.member_remove, name="member_remove"
    ),
    path(
        "team/members/<int:user_id>/role/",
        views.member_change_role,
        name="member_change_role",
    ),
    path(
        "team/members/<int:user_id>/transfer/",
        views.ownership_transfer,
        name="ownership_transfer",
    ),
    path("orgs/switch/", views.org_switch, name="switch"),
    path(
        "invitations/<int:invitation_id>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:invitation_id>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("invitations/<str:secret>/", views.invitation_landing, name="invitation"),
    path(
        "invitations/<str:secret>/accept/",
        views.invitation_accept_link,
        name="invitation_accept_link",
    ),
    path(
        "invitations/<str:secret>/decline/",
        views.invitation_decline_link,
        name="invitation_decline_link",
    ),
]
