"""The send path keeps a copy of each sender's standing per process (roles, bans,
timeouts, shadow bans), checked against a version in Redis on every batch: whoever
changes a standing, and however, the very next send obeys it."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from chatsite.errors import ChatRefused
from moderation.models import RoomBan, ShadowBan
from rooms.actions.messages import message_send
from rooms.models import Membership, Message
from tests.factories import RoomFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast():
    room, chatter = RoomFactory(), UserFactory()
    message_send(room=room, author=chatter, text="first")  # this process has read them now
    return room, chatter


def test_a_ban_made_outside_the_services_stops_the_next_send(cast):
    room, chatter = cast
    RoomBan.objects.create(room=room, user=chatter, moderator=room.owner)  # as the admin does
    with pytest.raises(ChatRefused) as refused:
        message_send(room=room, author=chatter, text="second")
    assert refused.value.code == "banned"

    RoomBan.objects.filter(room=room, user=chatter).delete()
    assert message_send(room=room, author=chatter, text="third").message.seq == 2


def test_a_new_role_and_a_shadow_ban_apply_to_the_next_send(cast):
    room, chatter = cast
    room.slow_mode_seconds = 60
    room.save(update_fields=["slow_mode_seconds"])
    Membership.objects.create(room=room, user=chatter, is_moderator=True)
    message_send(room=room, author=chatter, text="moderators skip slow mode")

    ShadowBan.objects.create(room=room, user=chatter, moderator=room.owner)
    sent = message_send(room=room, author=chatter, text="only I see this").message
    assert sent.state == Message.State.SHADOWED


def test_a_timeout_that_ends_lets_the_next_send_through(cast):
    room, chatter = cast
    RoomBan.objects.create(room=room, user=chatter, moderator=room.owner,
                           expires_at=timezone.now() + timedelta(seconds=1))  # fmt: skip
    with pytest.raises(ChatRefused) as refused:
        message_send(room=room, author=chatter, text="too soon")
    assert refused.value.code == "timed_out"
    time.sleep(1.1)  # nothing changed in the database: the timeout simply ran out
    assert message_send(room=room, author=chatter, text="back again").message.seq == 2
