"""Writes that create or change user accounts."""

from django.conf import settings
from django.db import transaction
from rest_framework.authtoken.models import Token

from chatsite.redis import redis_client
from chatsite.users.models import User
from chatsite.users.selectors import token_is_live


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


def _login_attempts_key(address: str) -> str:
    return f"{settings.CACHE_KEY_PREFIX}:login-attempts:{address}"


def login_attempt_take(*, address: str) -> bool:
    """Take one of the address's ten login attempts before its password is checked; False
    when none is left (locked out until the window ends). Taken in one atomic step, so
    that 40 tries at once check at most ten passwords, not 40."""
    key = _login_attempts_key(address)
    pipe = redis_client().pipeline(transaction=True)
    pipe.set(key, 0, ex=LOGIN_FAILURE_WINDOW, nx=True)  # the window opens with the first
    pipe.incr(key)
    count = pipe.execute()[1]
    return count <= LOGIN_FAILURES_ALLOWED


def login_attempt_give_back(*, address: str) -> None:
    """A login that succeeded does not count against its address."""
    key = _login_attempts_key(address)
    pipe = redis_client().pipeline(transaction=True)
    pipe.decr(key)
    pipe.execute()


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """The user's API token: the live one, or a new one in place of an expired one (one
    token per account, shared by its clients)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_is_live(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)


@transaction.atomic
def token_rotate(*, user: User) -> Token:
    """A new API token; the old one stops working at once (and its IRC connections end)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user: User) -> None:
    """No API token any more (its IRC connections end); logging in issues a new one."""
    for token in Token.objects.filter(user=user):
        token.delete()
