from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from accounts.api import MeView
from config import views

# Staff sign in through allauth, so MFA and rate limits apply to the admin too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Before allauth's own: its email page, in one transaction (see the view).
    path("accounts/email/", account_views.email_addresses, name="account_email"),
    path("accounts/", include("allauth.urls")),
    # The OAuth server for /mcp: accounts.oauth's glue first, then allauth's.
    path("", include("accounts.oauth.urls")),
    path("", include("allauth.idp.urls")),
    path("account/", include("accounts.urls")),
    path("", include("orgs.urls")),
    path("", include("notes.urls")),
    path("", include("webhooks.urls")),
    path("", include("a2a.urls")),
    path("", include("actions.mcp.urls")),
    path("api/me/", MeView.as_view(), name="api-me"),
    path("", include("actions.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
