from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ActionThrottle(SimpleRateThrottle):
    """Per-user (per-IP when anonymous) rate of one action, in the shared cache."""

    def __init__(self, action):
        self.action = action
        super().__init__()

    def get_rate(self) -> str:
        return self.action.throttle_rate or settings.ACTIONS_DEFAULT_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str:
        user = request.user
        ident = (
            f"user:{user.pk}"
            if user and user.is_authenticated
            else self.get_ident(request)
        )
        return f"throttle:action:{self.action.name}:{ident}"
