"""The glue views: discovery metadata, and allauth's authorize and token endpoints
with what MCP needs on top (PKCE S256 and the MCP resource required, an org chosen
on consent, a reused refresh token ending its connection) and what sign-in clients
need (PKCE S256, redirect URIs matched exactly, no resource, no org)."""

import json
from http import HTTPStatus
from urllib.parse import parse_qs, urlparse

from allauth.core.internal.httpkit import add_query_params, extract_basic_auth
from allauth.idp.oidc import views as oidc
from allauth.idp.oidc.adapter import get_adapter
from allauth.idp.oidc.forms import AuthorizationForm
from allauth.idp.oidc.internal.clientkit import lookup_client
from allauth.idp.oidc.internal.oauthlib.utils import respond_html_error
from allauth.idp.oidc.internal.resources import get_resources
from allauth.idp.oidc.models import Client, Token
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView
from oauthlib.oauth2.rfc6749 import errors

from accounts.oauth import scopes, selectors, services
from accounts.oauth.csp import with_form_action
from accounts.oauth.forms import ConsentForm
from accounts.oauth.loopback import allow_localhost_port
from accounts.oauth.resource import mcp_url


def _public_cors(view):
    """Metadata any origin may read: agent hosts running in a browser fetch it
    (with an MCP-Protocol-Version header, so a preflight comes first)."""

    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=HTTPStatus.NO_CONTENT)
            response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", ""
            )
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return login_not_required(require_http_methods(["GET", "HEAD", "OPTIONS"])(wrapped))


@_public_cors
def authorization_server_metadata(request):
    """RFC 8414: allauth's OpenID configuration, which the adapter fits to MCP."""
    return oidc.configuration(request)


@_public_cors
def protected_resource_metadata(request):
    """RFC 9728 for /mcp: which server issues its tokens, with which scopes."""
    return JsonResponse(
        {
            "resource": mcp_url(),
            "authorization_servers": [get_adapter().get_issuer()],
            "scopes_supported": list(scopes.MCP_SCOPES),
            "bearer_methods_supported": ["header"],
            "resource_name": "MCP",
        }
    )


class AuthorizationView(oidc.AuthorizationView):
    """allauth's authorize endpoint and consent page, refusing what OAuth 2.1 and
    MCP forbid, and recording the org the user picks; for a sign-in client, the
    scopes only (and no page at all when it was registered without consent)."""

    @cached_property
    def _client(self) -> Client | None:
        # Asked from several steps of one request; looked up once.
        return lookup_client(self._request_info["client_id"])

    def _is_sign_in(self) -> bool:
        return self._client is not None and selectors.is_sign_in_client(self._client)

    def get_form_class(self):
        return AuthorizationForm if self._is_sign_in() else ConsentForm

    def _skip_consent(self):
        """allauth's consent-free path (`Client.skip_consent`), for sign-in clients
        only: an MCP connection needs its org chosen on the page, always."""
        if not self._is_sign_in():
            return FormView.get(self, self.request)
        return super()._skip_consent()

    def get(self, request, *args, **kwargs):
        if "none" in request.GET.get("prompt", "").split():
            # Silent authorization would issue a code without the org choice.
            return respond_html_error(
                request,
                error=errors.InvalidRequestError(
                    description="prompt=none is not supported: the user must consent."
                ),
            )
        allow_localhost_port(
            request.GET.get("client_id"), request.GET.get("redirect_uri")
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["redirect_host"] = urlparse(self._request_info["redirect_uri"]).netloc
        context["sign_in_client"] = self._is_sign_in()
        return context

    def render_to_response(self, context, **kwargs):
        refusal = self._refusal()
        if refusal:
            return refusal
        response = super().render_to_response(context, **kwargs)
        # The consent POST ends with a redirect to the client's redirect URI.
        with_form_action(response, [self._request_info["redirect_uri"]])
        return response

    def form_valid(self, form):
        refusal = self._refusal()
        if refusal:
            return refusal
        allow_localhost_port(
            self._request_info.get("client_id"), self._request_info.get("redirect_uri")
        )
        response = super().form_valid(form)
        location = response.get("Location", "")
        if self._is_sign_in():
            # Who the user is goes out with the ID token (audited on exchange);
            # a sign-in client acts in no org.
            return response
        if "code" in parse_qs(urlparse(location).query):
            services.grant_save(
                client=Client.objects.get(id=self._request_info["client_id"]),
                user=self.request.user,
                org=form.cleaned_data["org"],
                scopes=form.cleaned_data["scopes"],
            )
        return response

    def _refusal(self):
        """A refusal for a request allauth accepts but this server does not: for
        a sign-in client, a redirect URI that is not one it registered, character
        for character (allauth lets a loopback URI differ in port and a query
        carry more), shown here rather than sent there; then, sent to the client,
        PKCE other than S256 (OAuth 2.1 requires PKCE; `plain` defeats it), and a
        resource other than exactly the MCP URL (none, for a sign-in client)."""
        info = self._request_info
        sign_in = self._is_sign_in()
        registered = self._client.get_redirect_uris() if sign_in else []
        if sign_in and info.get("redirect_uri") not in registered:
            page = respond_html_error(
                self.request,
                error=errors.MismatchingRedirectURIError(
                    description="The redirect URI is not one this app registered."
                ),
            )
            page.status_code = HTTPStatus.BAD_REQUEST
            return page
        if info.get("code_challenge_method") != "S256" or not info.get(
            "code_challenge"
        ):
            return self._error("invalid_request", "PKCE with S256 is required.")
        if sign_in:
            if info.get("resources"):
                return self._error("invalid_target", "Sign-in asks for no resource.")
        elif info.get("resources") != [mcp_url()]:
            return self._error("invalid_target", f"resource must be {mcp_url()}.")
        return None

    def _error(self, error: str, description: str):
        params = {"error": error, "error_description": description}
        if state := self._request_info.get("state"):
            params["state"] = state
        return oidc._ClientHttpResponseRedirect(
            add_query_params(self._request_info["redirect_uri"], params)
        )


authorization = AuthorizationView.as_view()


def _client_id_of(request) -> str:
    """The client a token request names: in the body (public clients, and
    client_secret_post) or in Basic authentication."""
    return request.POST.get("client_id") or extract_basic_auth(request.headers)[0] or ""


def _invalid_grant(description: str) -> JsonResponse:
    return JsonResponse(
        {"error": "invalid_grant", "error_description": description},
        status=HTTPStatus.BAD_REQUEST,
    )


class TokenView(oidc.TokenView):
    """allauth's token endpoint; a code or a refresh token presented after it was
    exchanged revokes its whole connection (OAuth 2.1 §4.1.3, §4.3.1)."""

    def post(self, request):
        try:
            get_resources(request)
        except ValidationError as error:
            # allauth lets the adapter's refusal escape its token view as a 500.
            return JsonResponse(
                {"error": "invalid_target", "error_description": error.messages[0]},
                status=HTTPStatus.BAD_REQUEST,
            )
        grant_type = request.POST.get("grant_type")
        if grant_type == Client.GrantType.REFRESH_TOKEN:
            return self._refresh(request)
        if grant_type == Client.GrantType.AUTHORIZATION_CODE:
            return self._exchange(request)
        return super().post(request)

    @transaction.atomic
    def _refresh(self, request):
        token_hash = get_adapter().hash_token(request.POST.get("refresh_token", ""))
        # Locked: two exchanges of one refresh token run one after the other, and
        # the second finds it rotated.
        presented = (
            Token.objects.valid()
            .select_for_update()
            .filter(type=Token.Type.REFRESH_TOKEN, hash=token_hash)
            .first()
        )
        if presented is None and services.refresh_token_reuse_revoke(
            token_hash=token_hash
        ):
            return _invalid_grant("The refresh token was already used.")
        response = super().post(request)
        if presented is not None and response.status_code == HTTPStatus.OK:
            services.refresh_token_rotated(token=presented)
        return response

    def _exchange(self, request):
        client_id = _client_id_of(request)
        code = request.POST.get("code", "")
        if not services.code_exchange_begin(client_id=client_id, code=code):
            return _invalid_grant("The authorization code was already used.")
        response = super().post(request)
        access = None
        if response.status_code == HTTPStatus.OK:
            access = Token.objects.lookup(
                Token.Type.ACCESS_TOKEN, json.loads(response.content)["access_token"]
            )
        services.code_exchange_end(client_id=client_id, code=code, token=access)
        if access is not None and selectors.is_sign_in_client(access.client):
            return self._signed_in(response, access)
        return response

    def _signed_in(self, response, access: Token):
        """A sign-in client got its ID token: audited, and without the refresh
        token oauthlib makes for every code (it could not use it: its only grant
        is the code, and it needs nothing after sign-in)."""
        services.client_sign_in_record(client=access.client, user=access.user)
        Token.objects.filter(
            client=access.client, user=access.user, type=Token.Type.REFRESH_TOKEN
        ).delete()
        body = json.loads(response.content)
        body.pop("refresh_token", None)
        body.pop("refresh_expires_in", None)
        response.content = json.dumps(body)
        return response


token = TokenView.as_view()


class RevokeView(oidc.RevokeView):
    """allauth's revocation endpoint (RFC 7009), refusing a token of another
    client (allauth revokes any token whose value it is given); revoking a refresh
    token ends its connection, access tokens included (§2.1: they rest on the same
    grant)."""

    def post(self, request, *args, **kwargs):
        raw = request.POST.get("token", "")
        found = Token.objects.lookup_by_value(
            [Token.Type.ACCESS_TOKEN, Token.Type.REFRESH_TOKEN], raw
        )
        if found is not None and found.client_id != _client_id_of(request):
            return JsonResponse(
                {
                    "error": "unauthorized_client",
                    "error_description": "The token was not issued to this client.",
                },
                status=HTTPStatus.BAD_REQUEST,
            )
        response = super().post(request, *args, **kwargs)
        revoked = found is not None and not Token.objects.filter(pk=found.pk).exists()
        if revoked and found.type == Token.Type.REFRESH_TOKEN:
            services.connection_revoke(
                client=found.client, user=found.user, reason="revoked_by_client"
            )
        return response


revoke = RevokeView.as_view()


@login_not_required
def not_offered(request, *args, **kwargs):
    """allauth's device flow endpoints: no client here may use that grant."""
    raise Http404


def page_not_offered(request, *args, **kwargs):
    """allauth's device flow page, for signed-in users as allauth's is."""
    raise Http404
