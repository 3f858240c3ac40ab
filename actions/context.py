"""The Context of an action call made over HTTP."""

from actions.registry import Context
from orgs.services import org_context_for


def context_for_request(request, *, caller: str | None = None) -> Context:
    """Who calls (as DRF authenticated them), in which org, with which request id.

    Session requests have their org from OrgContextMiddleware; requests signed in by a
    token are only known to DRF, so their org is looked up here the same way.
    """
    django_request = getattr(request, "_request", request)
    user = request.user if request.user and request.user.is_authenticated else None
    membership = getattr(django_request, "membership", None)
    if user is not None and (membership is None or membership.user_id != user.pk):
        membership = org_context_for(user, request=django_request)
    if user is None:
        membership = None
    authenticator = getattr(request, "successful_authenticator", None)
    kind = getattr(authenticator, "caller_kind", "")
    # Personal and static tokens are scripts and agents; A2A tokens other apps' agents.
    default_caller = {"": "http", "session": "http", "a2a": "a2a"}.get(kind, "agent")
    return Context(
        user=user,
        org=membership.org if membership is not None else None,
        membership=membership,
        caller=caller or default_caller,
        request_id=getattr(django_request, "request_id", "-"),
        request=django_request,
    )
