from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("profile/", views.profile_update, name="profile_update"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path(
        "apps/<int:grant_id>/disconnect/",
        views.connected_app_disconnect,
        name="connected_app_disconnect",
    ),
    path("export/", views.data_export, name="data_export"),
    path("delete/", views.account_delete, name="delete"),
    path("claim-local-data/", views.local_data_claim_view, name="local_data_claim"),
]
