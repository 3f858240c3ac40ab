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
    path("identity/o/authorize", views.authorization),
    path("identity/o/api/token", views.token),
    path("identity/o/api/revoke", views.revoke),
    path("identity/o/api/device/code", views.not_offered),
    path("identity/o/device", views.not_offered),
]
