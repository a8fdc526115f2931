"""Open connections follow the account: logging out closes that session's sockets, and
deactivating or deleting an account, or revoking its API tokens, closes all of them, in
every process (``events.sign_out``; each hub closes its own)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from rest_framework.authtoken.models import Token

from rooms import events


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and request.session.session_key:
        events.sign_out(user_id=user.id, session_key=request.session.session_key)


def _account_saved(sender, instance, created, **kwargs) -> None:
    if not created and not instance.is_active:
        user_id = instance.id
        transaction.on_commit(lambda: events.sign_out(user_id=user_id))


def _account_gone(sender, instance, **kwargs) -> None:
    user_id = instance.id
    transaction.on_commit(lambda: events.sign_out(user_id=user_id))


def _token_revoked(sender, instance, **kwargs) -> None:
    """The connections logged in with a token (IRC) end with it; the browser's, logged in
    with a session, stay."""
    user_id = instance.user_id
    transaction.on_commit(lambda: events.sign_out(user_id=user_id, tokens=True))


def connect() -> None:
    user_logged_out.connect(_logged_out, dispatch_uid="rooms.sign_out.logout")
    user_model = get_user_model()
    post_save.connect(_account_saved, sender=user_model, dispatch_uid="rooms.sign_out.saved")
    post_delete.connect(_account_gone, sender=user_model, dispatch_uid="rooms.sign_out.deleted")
    post_delete.connect(_token_revoked, sender=Token, dispatch_uid="rooms.sign_out.token")
