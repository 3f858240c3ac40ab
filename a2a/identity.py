"""Who an A2A request acts for: the verified token's person, in one of their orgs."""

import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings

from a2a import tokens
from a2a.app_settings import app_settings
from accounts.bearer import bearer_token
from accounts.models import User
from orgs.models import Membership


class NotConfigured(Exception):
    """No A2A_SECRET in production: every A2A endpoint answers 503."""


@dataclass
class Identity:
    user: User | None
    # The org the token names (`org_id`) and the user's membership of it; None:
    # the call acts in the user's active org.
    membership: Membership | None
    issuer: str = ""

    @property
    def bound_org_id(self):
        return self.membership.org_id if self.membership is not None else None


def looks_like_jwt(token: str | None) -> bool:
    return bool(token) and token.count(".") == 2


def identity_for(request) -> Identity:
    """The request's identity; `Identity(None, None)` only where A2A is open (DEBUG
    without a secret). Raises NotConfigured or tokens.TokenRefused."""
    if not app_settings.SECRET:
        if not settings.DEBUG:
            raise NotConfigured()
        return Identity(user=None, membership=None)
    token = bearer_token(request)
    if not looks_like_jwt(token):
        raise tokens.TokenRefused("no bearer JWT")
    return identity_from_claims(tokens.verify(token))


def identity_from_claims(claims: dict) -> Identity:
    """The user the token names (existing, active, address verified), with their
    membership of the org the token names, refused if they are not in it (without
    `org_id` the call acts in their active org). No user is ever made."""
    user = User.objects.filter(email__iexact=claims["sub"], is_active=True).first()
    if (
        user is None
        or not EmailAddress.objects.filter(
            user=user, email__iexact=claims["sub"], verified=True
        ).exists()
    ):
        raise tokens.TokenRefused("unknown or unverified sub")
    if claims.get("org_id"):
        membership = (
            Membership.objects.select_related("org")
            .filter(user=user, org_id=_uuid_or_none(claims["org_id"]))
            .first()
        )
        if membership is None:
            raise tokens.TokenRefused("sub is not a member of org_id")
    else:
        membership = None
    return Identity(user=user, membership=membership, issuer=claims["iss"])


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
