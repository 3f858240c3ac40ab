"""Reads of OAuth connections."""

from allauth.idp.oidc.models import Client, Token
from django.db.models import QuerySet

from accounts.models import User
from accounts.oauth import scopes
from accounts.oauth.models import OAuthGrant
from accounts.oauth.resource import mcp_url
from orgs.models import Membership


def is_sign_in_client(client) -> bool:
    """Whether `client` is an app signing its users in here (`manage.py sso_client
    add`): one allowed the `openid` scope. Registration (RFC 7591) and client
    documents only ever get the MCP scopes, so an agent host is never one."""
    return scopes.OPENID in client.get_scopes()


def sign_in_clients() -> list[Client]:
    """The apps registered to sign their users in here, oldest first. (Scopes are
    lines of text: the query narrows, `is_sign_in_client` decides; registered agent
    hosts, however many, never reach Python.)"""
    candidates = Client.objects.filter(scopes__contains=scopes.OPENID)
    return [
        client
        for client in candidates.order_by("created_at")
        if is_sign_in_client(client)
    ]


def grants_for_user(user: User) -> QuerySet[OAuthGrant]:
    """The user's connected apps, newest first."""
    return (
        OAuthGrant.objects.filter(user=user)
        .select_related("client", "org")
        .order_by("-created_at")
    )


def grant_of_user(user: User, grant_id) -> OAuthGrant | None:
    return grants_for_user(user).filter(pk=grant_id).first()


def mcp_access(raw: str) -> tuple[Token, OAuthGrant, Membership] | None:
    """The live access token `raw` for /mcp, its grant and the membership it acts
    through; None when the token is unknown, expired, for another resource, its
    user inactive, or its user no longer a member of the grant's org."""
    token = (
        Token.objects.lookup(Token.Type.ACCESS_TOKEN, raw)
        if isinstance(raw, str)
        else None
    )
    if token is None or token.client_id is None or token.user_id is None:
        return None
    if mcp_url() not in token.get_resources() or not token.user.is_active:
        return None
    grant = (
        OAuthGrant.objects.filter(client_id=token.client_id, user_id=token.user_id)
        .select_related("org")
        .first()
    )
    if grant is None:
        return None
    membership = (
        Membership.objects.filter(user_id=token.user_id, org_id=grant.org_id)
        .select_related("org", "user")
        .first()
    )
    if membership is None:
        return None
    return token, grant, membership
