"""The account page: profile, API tokens, data download, deletion, and (DEBUG)
claiming the data of the local stand-in accounts.

Creating a token and deleting the account ask for the password (or an MFA code)
again unless it was given within ACCOUNT_REAUTHENTICATION_TIMEOUT: allauth's
reauthentication flow, as for changing MFA, which then carries the request on.
"""

import json

from allauth.account import views as allauth_views
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import AccountDeleteForm, ApiTokenCreateForm, ProfileForm
from accounts.oauth import selectors as oauth_selectors
from accounts.oauth import services as oauth_services
from accounts.ownership import local_data_claim
from config.errors import ApplicationError
from config.pages import attach_error, flash_error

PROFILE_PREFIX = "profile"

# allauth's email address page, in a transaction of its own. Making another address
# primary saves `User.email`, and the `email_changed` receiver moves the rows the old
# address owned: an error anywhere in it rolls all of it back. (The request's scope
# does not: a view's exception reaches it as a 500 response, which it commits.)
email_addresses = transaction.atomic(allauth_views.email)


def _account_page(request, *, token_form=None, profile_form=None, new_token=None):
    return render(
        request,
        "accounts/account.html",
        {
            # Rendered with the prefix it is bound with, or a save blanks the name.
            "profile_form": profile_form
            or ProfileForm(prefix=PROFILE_PREFIX, initial={"name": request.user.name}),
            "token_form": token_form
            or ApiTokenCreateForm(user=request.user, prefix="token"),
            "tokens": selectors.api_tokens_for_user(request.user),
            "new_token": new_token,
            "local_data_sources": selectors.local_data_sources(request.user),
            "connected_apps": oauth_selectors.grants_for_user(request.user),
        },
    )


@require_GET
def account(request):
    return _account_page(request)


@require_POST
def profile_update(request):
    form = ProfileForm(request.POST, prefix=PROFILE_PREFIX)
    if not form.is_valid():
        return _account_page(request, profile_form=form)
    services.user_update_profile(user=request.user, name=form.cleaned_data["name"])
    messages.success(request, "Your profile is saved.")
    return redirect("accounts:account")


@require_POST
def local_data_claim_view(request):
    """Take over the data of a local stand-in account (DEBUG only; the service
    refuses otherwise, and the page shows no button)."""
    try:
        summary = local_data_claim(
            user=request.user, source_email=request.POST.get("email", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        rows = sum(summary["moved"].values())
        messages.success(
            request,
            f"The data of {summary['source']} is yours now: {rows} rows, "
            f"{len(summary['keys'])} secrets, {len(summary['orgs'])} organizations.",
        )
    return redirect("accounts:account")


@require_POST
@reauthentication_required
def token_create(request):
    form = ApiTokenCreateForm(request.POST, user=request.user, prefix="token")
    if not form.is_valid():
        return _account_page(request, token_form=form)
    try:
        token, secret = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            org_id=form.cleaned_data["org"] or None,
        )
    except ApplicationError as error:
        attach_error(form, error)
        return _account_page(request, token_form=form)
    # Shown in this response only: never stored, never put in a message or cookie.
    response = _account_page(request, new_token={"name": token.name, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, token_id: int):
    try:
        token = services.api_token_revoke(user=request.user, token_id=token_id)
    except ApplicationError as error:
        flash_error(request, error)
    else:
        messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("accounts:account")


@require_POST
def connected_app_disconnect(request, grant_id: int):
    """Disconnect an app connected through OAuth: all its tokens stop working."""
    grant = oauth_selectors.grant_of_user(request.user, grant_id)
    if grant is None:
        raise Http404
    name = grant.client.name or "The app"
    oauth_services.grant_revoke(grant=grant, reason="disconnected")
    messages.success(request, f"{name} is disconnected.")
    return redirect("accounts:account")


@require_GET
def data_export(request):
    data = selectors.user_data_export(request.user)
    services.audit_record(action="account.exported", actor=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@reauthentication_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.user_delete(user=user)
        except ApplicationError as error:
            flash_error(request, error)
        else:
            logout(request)
            messages.success(request, "Your account and its data are deleted.")
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
