"""Writes that create or change user accounts."""

from django.core.cache import cache
from django.db import transaction

from chatsite.users.models import User


@transaction.atomic
def user_register(*, login: str, password: str, email: str = "") -> User:
    """Create a chatter. ``login`` may carry capitals: they become the display name.

    The caller has validated the input (forms and serializers run the model's
    validators); the database constraints still refuse anything malformed.
    """
    user = User(username=login.lower(), display_name=login, email=email)
    user.set_password(password)
    user.save()
    return user


LOGIN_FAILURES_ALLOWED = 10
LOGIN_FAILURE_WINDOW = 600  # seconds


def _login_failure_key(address: str) -> str:
    return f"login-failures:{address}"


def login_attempts_blocked(*, address: str) -> bool:
    """True once an address has failed to log in too often in the last ten minutes."""
    return (cache.get(_login_failure_key(address)) or 0) >= LOGIN_FAILURES_ALLOWED


def login_failure_record(*, address: str) -> None:
    key = _login_failure_key(address)
    cache.add(key, 0, LOGIN_FAILURE_WINDOW)
    cache.incr(key)
