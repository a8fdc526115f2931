"""Reads of users."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from chatsite.users.models import User


def token_expires_at(token: Token) -> datetime:
    return token.created + timedelta(seconds=settings.API_TOKEN_TTL)


def token_is_live(token: Token) -> bool:
    """A token works until ``API_TOKEN_TTL`` seconds after it was issued."""
    return timezone.now() < token_expires_at(token)


def user_for_token(*, key: str) -> User | None:
    """The active user whose live API token is ``key`` (compared case-insensitively: some
    chat clients lowercase the token they are given), or None."""
    token = Token.objects.select_related("user").filter(key__iexact=key.strip()).first()
    if token is None or not token.user.is_active or not token_is_live(token):
        return None
    return token.user


def user_by_login(*, login: str) -> User | None:
    """The account called ``login`` (any case), or None."""
    return User.objects.filter(username=login.lower()).first()
