"""Reads of users."""

from rest_framework.authtoken.models import Token

from chatsite.users.models import User


def user_for_token(*, key: str) -> User | None:
    """The active user whose API token is ``key`` (compared case-insensitively: some chat
    clients lowercase the token they are given), or None."""
    token = Token.objects.select_related("user").filter(key__iexact=key.strip()).first()
    if token is None or not token.user.is_active:
        return None
    return token.user
