from datetime import timedelta

import pytest
from django.utils import timezone

from chatsite.errors import ChatRefused
from moderation.actions.bans import user_ban, user_timeout, user_unban
from moderation.models import AuditEntry, RoomBan
from rooms.actions.messages import message_send
from rooms.actions.rooms import membership_set
from rooms.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(room):
    moderator = UserFactory(username="the_mod")
    membership_set(room=room, user=moderator, is_moderator=True)
    other_mod = UserFactory(username="other_mod")
    membership_set(room=room, user=other_mod, is_moderator=True)
    return {
        "broadcaster": room.owner,
        "moderator": moderator,
        "other_mod": other_mod,
        "chatter": UserFactory(username="rowdy"),
        "regular": UserFactory(username="bystander"),
    }


def refused(call, **kwargs) -> ChatRefused:
    with pytest.raises(ChatRefused) as caught:
        call(**kwargs)
    return caught.value


def test_a_timeout_refuses_sends_with_the_time_left_and_hides_recent_messages(room, cast):
    sent = message_send(room=room, author=cast["chatter"], text="something rude").message
    user_timeout(room=room, actor=cast["moderator"], target=cast["chatter"], seconds=600,
                 reason="be nice", source="api")  # fmt: skip
    error = refused(message_send, room=room, author=cast["chatter"], text="hello?")
    assert error.code == "timed_out"
    assert 590 < error.retry_after <= 600
    assert Message.objects.get(pk=sent.pk).state == Message.State.DELETED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target, entry.duration_seconds, entry.reason) == (
        "timeout",
        cast["moderator"],
        cast["chatter"],
        600,
        "be nice",
    )


def test_an_expired_timeout_ends_on_its_own(room, cast):
    user_timeout(
        room=room, actor=cast["moderator"], target=cast["chatter"], seconds=5, source="api"
    )
    RoomBan.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert message_send(room=room, author=cast["chatter"], text="I'm back").created


def test_a_ban_lasts_until_lifted(room, cast):
    user_ban(room=room, actor=cast["broadcaster"], target=cast["chatter"], source="command")
    assert refused(message_send, room=room, author=cast["chatter"], text="hi").code == "banned"
    assert user_unban(room=room, actor=cast["moderator"], target=cast["chatter"], source="api")
    assert message_send(room=room, author=cast["chatter"], text="thanks").created
    assert [e.action for e in AuditEntry.objects.order_by("created_at")] == ["ban", "unban"]


@pytest.mark.parametrize(
    ("actor", "target"),
    [
        ("regular", "chatter"),  # not a moderator
        ("moderator", "broadcaster"),  # nobody acts on the broadcaster
        ("moderator", "other_mod"),  # moderators cannot act on each other
        ("moderator", "moderator"),  # nor on themselves
    ],
)
def test_who_may_not_act_changes_nothing(room, cast, actor, target):
    error = refused(user_timeout, room=room, actor=cast[actor], target=cast[target],
                    seconds=60, source="api")  # fmt: skip
    assert error.code == "not_allowed"
    assert not RoomBan.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_broadcaster_may_act_on_moderators(room, cast):
    user_timeout(room=room, actor=cast["broadcaster"], target=cast["other_mod"], seconds=60,
                 source="api")  # fmt: skip
    assert RoomBan.objects.filter(user=cast["other_mod"]).exists()


@pytest.mark.parametrize("seconds", [0, 14 * 24 * 3600 + 1])
def test_timeouts_last_one_second_to_two_weeks(room, cast, seconds):
    error = refused(user_timeout, room=room, actor=cast["moderator"], target=cast["chatter"],
                    seconds=seconds, source="api")  # fmt: skip
    assert error.code == "invalid_duration"
    assert not RoomBan.objects.exists()


def test_the_chatter_hears_until_when_and_when_it_is_lifted(room, cast, published, committing):
    with committing():
        user_timeout(room=room, actor=cast["moderator"], target=cast["chatter"], seconds=90,
                     source="api")  # fmt: skip
    told = [f for group, f in published.frames() if f["type"] == "notice"]
    assert [(f["code"], f["retry_after"]) for f in told] == [("timeout", 90)]
    with committing():
        user_unban(room=room, actor=cast["moderator"], target=cast["chatter"], source="api")
    told = [f for group, f in published.frames() if f["type"] == "notice"]
    assert [(f["code"], f["message"]) for f in told] == [("unban", "You may chat again.")]
