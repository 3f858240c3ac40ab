"""`caller_context`: the one function that says who a call is and enters its scope.

Every entrance calls it: pages (`orgs.middleware`), the actions API (`config.api`),
A2A (`a2a.views`), the CLI (`manage.py action`), Celery tasks (`scoping.tasks`) and
the MCP server. Nothing else builds a `config.context.Context`, enters a user's scope
for a call, or sets `request.org`.
"""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace

from django.db import connection

from accounts.services import client_ip
from config import context as call
from config.context import Context
from orgs import selectors, services
from scoping.scopes import scope, unscoped


@contextmanager
def caller_context(
    *,
    user,
    caller: str,
    request=None,
    org_ref: str | None = None,
    bound_org_id=None,
    membership=None,
    issuer: str = "",
    unscoped_reason: str | None = None,
    one_action: bool = False,
) -> Iterator[Context]:
    """Build the call's Context, make it current, and enter its scope for the block.

    `user` is who the call is for (None or anonymous: no user, no org, no scope).
    The org: `org_ref` (X-Org, --org), else the credential's `bound_org_id`, else
    the user's active org (see `orgs.selectors.membership_for_call`), set up on first
    use by `orgs.services.active_org_ensure`. `membership` is the answer when the
    entrance already loaded it with the credential (in the same query). With a
    `request`, its client address and user agent go to audit rows, and
    `request.ctx`, `request.org` and `request.membership` are set for pages.
    `unscoped_reason` runs a staff block unscoped instead (Django admin), not
    audited per request: the admin's own log records its changes. `one_action`
    says the block runs one action and nothing else (an API call, the CLI): the
    transaction its scope opens is the call's own, so the runner needs no savepoint.
    """
    user = user if user is not None and user.is_authenticated else None
    ctx = Context(
        user=user,
        caller=caller,
        ip=client_ip(request),
        user_agent=_user_agent(request),
        issuer=issuer,
    )
    token = call._set(ctx)  # the details, for any audit row written while resolving
    try:
        if user is not None:
            membership = _membership(user, membership, org_ref, bound_org_id)
            ctx = replace(
                ctx,
                membership=membership,
                org=membership.org if membership is not None else None,
            )
            call._set(ctx)
        if request is not None:
            request.ctx, request.membership, request.org = (
                ctx,
                ctx.membership,
                ctx.org,
            )
        with _call_transaction(ctx, unscoped_reason, one_action):
            yield ctx
    finally:
        call._reset(token)


@contextmanager
def _call_transaction(ctx: Context, unscoped_reason: str | None, one_action: bool):
    """The call's scope; for one action, when entering it opens the transaction,
    the call owns it (`config.context.in_call_transaction`), and what a failure
    leaves to write after its rollback is written once it has ended."""
    if not one_action or ctx.user is None or connection.in_atomic_block:
        with _scope_of(ctx, unscoped_reason):
            yield
        return
    own = call.CallTransaction(depth=1)
    token = call._transaction.set(own)
    try:
        with _scope_of(ctx, unscoped_reason):
            yield
    finally:
        call._transaction.reset(token)
        for write in own.after_rollback:
            write()


def _membership(user, known, org_ref, bound_org_id):
    if org_ref is None and known is not None and known.user_id == user.pk:
        return known
    found = selectors.membership_for_call(
        user, org_ref=org_ref, bound_org_id=bound_org_id
    )
    if found is None and org_ref is None and bound_org_id is None:
        found = services.active_org_ensure(user=user)
    return found


def _scope_of(ctx: Context, unscoped_reason: str | None):
    if ctx.user is None:
        return nullcontext()
    if unscoped_reason is not None:
        return unscoped(reason=unscoped_reason, audit=False)
    return scope(owner_email=ctx.user.email, org_id=ctx.org_id)


def _user_agent(request) -> str:
    return request.headers.get("User-Agent", "")[:512] if request is not None else ""
