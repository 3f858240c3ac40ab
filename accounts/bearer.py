"""The one reading of `Authorization: Bearer <token>`, for every entrance that takes
a bearer credential: personal and static tokens, A2A JWTs, Pub/Sub's push token."""

SCHEME = "bearer"


def bearer_token(request) -> str | None:
    """The token of `Authorization: Bearer <token>` (the scheme in any case), or None
    when the header is missing, names another scheme or carries no token."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    token = credentials.strip()
    if scheme.lower() != SCHEME or not token:
        return None
    return token
