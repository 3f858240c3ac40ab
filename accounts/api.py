"""The accounts API: who the caller is."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from config.api import ApiView


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    auth = serializers.CharField(
        allow_null=True,
        help_text="How the caller authenticated: session, token, access_token, a2a.",
    )


class MeView(ApiView):
    """`GET /api/me/`: the authenticated caller and how they authenticated."""

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(
            MeSerializer(
                {
                    "email": request.user.email,
                    "name": request.user.name,
                    "auth": getattr(
                        request.successful_authenticator, "caller_kind", None
                    ),
                }
            ).data
        )
