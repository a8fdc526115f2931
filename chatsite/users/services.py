"""Writes that create or change user accounts."""

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
