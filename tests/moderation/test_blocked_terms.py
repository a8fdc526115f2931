import pytest
from django.db import IntegrityError

from chatsite.errors import ChatRefused
from moderation.actions.terms import blocked_term_add, blocked_term_remove
from moderation.models import AuditEntry, BlockedTerm
from rooms.actions.messages import message_send
from rooms.models import Message
from tests.factories import RoomFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", is_staff=True)


def test_a_room_term_refuses_messages_in_that_room_only(room, user, mod):
    blocked_term_add(pattern="spoiler*", room=room, actor=mod, source="api")
    with pytest.raises(ChatRefused) as refused:
        message_send(room=room, author=user, text="SPOILERS: he dies")
    assert refused.value.code == "blocked_term"
    assert not Message.objects.filter(room=room).exists()
    message_send(room=RoomFactory(), author=user, text="SPOILERS: he dies")


def test_a_global_term_applies_everywhere_and_removal_takes_effect_at_once(room, user, staff):
    term = blocked_term_add(pattern="darn", actor=staff, source="admin")
    with pytest.raises(ChatRefused):
        message_send(room=room, author=user, text="d4rn it")
    blocked_term_remove(term=term, actor=staff, source="admin")
    assert message_send(room=room, author=user, text="d4rn it").created


def test_terms_are_checked_and_unique_per_scope(room, mod, staff):
    first = blocked_term_add(pattern="darn", room=room, actor=mod, source="api")
    # Blocking it again changes nothing: the same term, audited once.
    assert blocked_term_add(pattern="darn", room=room, actor=mod, source="api") == first
    assert BlockedTerm.objects.filter(room=room).count() == 1
    assert AuditEntry.objects.filter(room=room, action="term_add").count() == 1
    with pytest.raises(ChatRefused) as refused:
        blocked_term_add(pattern="***", actor=staff, source="admin")
    assert refused.value.code == "invalid_term"
    with pytest.raises(IntegrityError):
        BlockedTerm.objects.create(pattern="two  spaces ok but * inside", room=None)


def test_only_staff_block_terms_everywhere_and_only_moderators_in_a_room(room, mod, user):
    with pytest.raises(ChatRefused) as refused:
        blocked_term_add(pattern="darn", actor=mod, source="api")
    assert refused.value.code == "not_allowed"
    with pytest.raises(ChatRefused) as refused:
        blocked_term_add(pattern="darn", room=room, actor=user, source="api")
    assert refused.value.code == "not_allowed"
    assert not BlockedTerm.objects.exists()
