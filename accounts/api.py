"""The accounts API: who the caller is."""

from rest_framework.response import Response

from config.api import ApiView


class MeView(ApiView):
    """`GET /api/me/`: the authenticated caller and how they authenticated."""

    def get(self, request):
        return Response(
            {
                "email": request.user.email,
                "name": request.user.name,
                "auth": getattr(request.successful_authenticator, "caller_kind", None),
            }
        )
