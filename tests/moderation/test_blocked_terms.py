import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from moderation.models import BlockedTerm
from moderation.services import blocked_term_add, blocked_term_remove
from rooms.exceptions import ChatRefused
from rooms.models import Message
from rooms.services import message_send
from tests.factories import RoomFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_room_term_refuses_messages_in_that_room_only(room, user):
    blocked_term_add(pattern="spoiler*", room=room)
    with pytest.raises(ChatRefused) as refused:
        message_send(room=room, author=user, text="SPOILERS: he dies")
    assert refused.value.code == "blocked_term"
    assert not Message.objects.filter(room=room).exists()
    message_send(room=RoomFactory(), author=user, text="SPOILERS: he dies")


def test_a_global_term_applies_everywhere_and_removal_takes_effect_at_once(room, user):
    term = blocked_term_add(pattern="darn")
    with pytest.raises(ChatRefused):
        message_send(room=room, author=user, text="d4rn it")
    blocked_term_remove(term=term)
    assert message_send(room=room, author=user, text="d4rn it").created


def test_terms_are_checked_and_unique_per_scope(room):
    blocked_term_add(pattern="darn", room=room)
    with pytest.raises(ValidationError):
        blocked_term_add(pattern="darn", room=room)
    with pytest.raises(ValidationError):
        blocked_term_add(pattern="***")
    with pytest.raises(IntegrityError):
        BlockedTerm.objects.create(pattern="two  spaces ok but * inside", room=None)
