"""Discovery metadata, and the two allauth endpoints this package extends (listed
before allauth's own, which keep their names for reverse())."""

from django.urls import path

from accounts.oauth import views

urlpatterns = [
    path(
        ".well-known/oauth-authorization-server",
        views.authorization_server_metadata,
        name="oauth-authorization-server",
    ),
    path(
        ".well-known/oauth-protected-resource",
        views.protected_resource_metadata,
        name="oauth-protected-resource",
    ),
    path(
        ".well-known/oauth-protected-resource/mcp",
        views.protected_resource_metadata,
        name="oauth-protected-resource-mcp",
    ),
    path("identity/o/authorize", views.authorization, name="oauth-authorize"),
    path("identity/o/api/token", views.token, name="oauth-token"),
    path("identity/o/api/revoke", views.revoke, name="oauth-revoke"),
    path("identity/o/api/device/code", views.not_offered, name="oauth-no-device-code"),
    path("identity/o/device", views.page_not_offered, name="oauth-no-device-page"),
]
