"""Reads about accounts that are more than one lookup."""

from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db.models import QuerySet

from accounts import hooks
from accounts.identity_hub import PROVIDER_ID as IDENTITY_HUB
from accounts.models import ApiToken, AuditEvent, User
from accounts.services import AUTH_DISABLED_EMAIL, DEV_ACCOUNT_CREATED


def api_tokens_for_user(user: User) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(user=user)
        .select_related("bound_org")
        .order_by("revoked_at", "-created_at")
    )


def sign_in_method_of(request, user: User) -> dict:
    """How `user` just signed in, for the audit row: allauth's record of this
    session's authentications (`password`, `socialaccount` with its provider,
    `mfa`, …); through the identity hub, which hub. Empty outside allauth."""
    if request is None or not hasattr(request, "session"):
        return {}
    records = get_authentication_records(request, user)
    if not records:
        return {}
    method = {"methods": [record.get("method", "") for record in records]}
    provider = next(
        (record["provider"] for record in records if record.get("provider")), None
    )
    if provider:
        method["provider"] = provider
    if provider == IDENTITY_HUB:
        method["hub"] = settings.IDENTITY_HUB_URL
    return method


def audit_events_for_user(user: User) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor=user)


def user_data_export(user: User) -> dict:
    """Everything stored about `user`, as JSON-able data, secrets excluded."""
    data = {
        "account": {
            "email": user.email,
            "name": user.name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values(
                "email", "verified", "primary"
            )
        ),
        "social_accounts": [
            {"provider": account.provider, "uid": account.uid}
            for account in SocialAccount.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": token.name,
                "key_id": token.key_id,
                "created_at": token.created_at.isoformat(),
                "last_used_at": _iso(token.last_used_at),
                "revoked_at": _iso(token.revoked_at),
            }
            for token in api_tokens_for_user(user)
        ],
        "audit_events": [
            {
                "action": event.action,
                "created_at": event.created_at.isoformat(),
                "ip": event.ip,
                "metadata": event.metadata,
            }
            for event in audit_events_for_user(user)
        ],
    }
    for name, exporter in hooks.exporters().items():
        data[name] = exporter(user)
    return data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def dev_account_emails() -> list[str]:
    """The throwaway dev account's address: the user its creation event names (by
    their address now, should they have changed it since)."""
    return [
        email.lower()
        for email in AuditEvent.objects.filter(
            action=DEV_ACCOUNT_CREATED, actor__isnull=False
        ).values_list("actor__email", flat=True)
    ]


def local_data_sources(user: User) -> list[User]:
    """The local stand-in accounts whose data `user` may claim: none unless DEBUG."""
    if not settings.DEBUG:
        return []
    emails = [AUTH_DISABLED_EMAIL, *dev_account_emails()]
    return list(User.objects.filter(email__in=emails).exclude(pk=user.pk))
