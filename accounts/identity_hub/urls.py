from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from accounts.identity_hub.provider import IdentityHubProvider

urlpatterns = default_urlpatterns(IdentityHubProvider)
