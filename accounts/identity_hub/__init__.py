"""Cross-app sign-in, the app's side: sign users in through the identity hub,
another deployment of this template (README, "Cross-app sign-in").

An allauth provider, built on its `openid_connect` one, installed only when
IDENTITY_HUB_URL is set (config/settings/base.py): unset, no URL, button or
provider of it exists. Only the hub's verified email address crosses over.
"""

# allauth's provider id (its URLs, its social accounts' `provider`).
PROVIDER_ID = "identity_hub"
