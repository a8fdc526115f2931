"""Room modes and the rate limit, for each role: the rules every send path obeys."""

import pytest

from chatsite.errors import ChatRefused
from rooms.actions.messages import message_send
from rooms.actions.rooms import membership_set
from rooms.models import Message
from tests.factories import EmoteFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(room, author, text) -> ChatRefused:
    with pytest.raises(ChatRefused) as caught:
        message_send(room=room, author=author, text=text)
    return caught.value


@pytest.fixture
def people(room):
    regular = UserFactory(username="regular")
    moderator = UserFactory(username="moderator")
    membership_set(room=room, user=moderator, is_moderator=True)
    subscriber = UserFactory(username="subscriber")
    membership_set(room=room, user=subscriber, subscriber_tier=1, subscriber_months=2)
    vip = UserFactory(username="vip")
    membership_set(room=room, user=vip, is_vip=True)
    return {"regular": regular, "moderator": moderator, "subscriber": subscriber, "vip": vip,
            "broadcaster": room.owner}  # fmt: skip


def test_slow_mode_makes_regulars_wait_but_not_moderators_or_vips(room, people):
    room.slow_mode_seconds = 30
    room.save(update_fields=["slow_mode_seconds"])
    message_send(room=room, author=people["regular"], text="first")
    error = refused(room, people["regular"], "second")
    assert error.code == "slow_mode"
    assert 25 < error.retry_after <= 30
    for role in ("moderator", "vip", "broadcaster"):
        message_send(room=room, author=people[role], text="one")
        message_send(room=room, author=people[role], text="two")


def test_subscribers_only_mode(room, people):
    room.subscribers_only = True
    room.save()
    assert refused(room, people["regular"], "hi").code == "subscribers_only"
    for role in ("subscriber", "vip", "moderator", "broadcaster"):
        message_send(room=room, author=people[role], text=f"hi from {role}")


def test_emote_only_mode(room, people):
    EmoteFactory(code="PogHype")
    room.emote_only = True
    room.save()
    assert refused(room, people["regular"], "PogHype nice").code == "emote_only"
    message_send(room=room, author=people["regular"], text="PogHype PogHype")
    message_send(room=room, author=people["moderator"], text="words are fine for mods")


def test_unique_chat_refuses_a_long_message_someone_already_posted(room, people):
    room.unique_chat = True
    room.save()
    message_send(room=room, author=people["regular"], text="what a play that was")
    error = refused(room, people["subscriber"], "What a  play that WAS")
    assert error.code == "unique_chat"
    message_send(room=room, author=people["subscriber"], text="gg")
    message_send(room=room, author=people["vip"], text="gg")  # short messages may repeat


def test_regulars_get_20_messages_in_30_seconds(room, people):
    for n in range(20):
        message_send(room=room, author=people["regular"], text=f"message {n}")
    error = refused(room, people["regular"], "one too many")
    assert error.code == "rate_limited"
    assert 0 < error.retry_after <= 30
    assert Message.objects.filter(author=people["regular"]).count() == 20


def test_moderators_get_100_and_verified_bots_50(room, people):
    bot = UserFactory(username="botty", is_verified_bot=True)
    for n in range(50):
        message_send(room=room, author=bot, text=f"bot {n}")
    assert refused(room, bot, "bot 50").code == "rate_limited"
    for n in range(100):
        message_send(room=room, author=people["moderator"], text=f"mod {n}")
    assert refused(room, people["moderator"], "mod 100").code == "rate_limited"


def test_the_rate_limit_holds_across_processes(room, people):
    """Two OS processes share one budget: the count lives in Redis, not in memory."""
    import subprocess
    import sys

    from tests.servers import ROOT, server_env

    script = (
        "import django; django.setup();"
        "from chatsite.redis import redis_client; from rooms.limits import rate_limits_queue;"
        "pipe = redis_client().pipeline(transaction=False);"
        "[rate_limits_queue(pipe, [('shared', 20, 30)]) for _ in range(15)];"
        "print(sum(waits[0] == 0 for waits in pipe.execute()))"
    )

    def run() -> int:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=server_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        return int(result.stdout)

    allowed = [run(), run()]
    assert allowed == [15, 5]


def test_a_refused_message_does_not_use_up_the_rate_limit(room, people):
    regular = people["regular"]
    message_send(room=room, author=regular, text="same again")
    for _ in range(5):
        assert refused(room, regular, "same again").code == "duplicate"
    for n in range(19):
        message_send(room=room, author=regular, text=f"message {n}")
    assert refused(room, regular, "one too many").code == "rate_limited"
    assert Message.objects.filter(author=regular).count() == 20


def _send_together(room, sends):
    """Sends that reach the server in the same moment and so share one batch."""
    from rooms.actions.messages import _send_batch, _send_request
    from rooms.groupcommit import Pending

    batch = [Pending(_send_request(room, author, text, "")) for author, text in sends]
    _send_batch(batch)
    return [pending.error.code if pending.error else "sent" for pending in batch]


def test_sends_in_the_same_batch_obey_the_rules_among_themselves(room, people):
    regular, moderator = people["regular"], people["moderator"]
    assert _send_together(room, [(regular, "twice"), (regular, "twice")]) == ["sent", "duplicate"]
    room.slow_mode_seconds = 30
    room.save(update_fields=["slow_mode_seconds"])
    assert _send_together(room, [(regular, "fast one"), (regular, "fast two")]) == [
        "slow_mode",  # the "twice" before counts too
        "slow_mode",
    ]
    assert _send_together(room, [(moderator, "mod one"), (moderator, "mod two")]) == [
        "sent",
        "sent",  # moderators are exempt
    ]
    room.slow_mode_seconds, room.unique_chat = 0, True
    room.save(update_fields=["slow_mode_seconds", "unique_chat"])
    assert _send_together(
        room, [(people["vip"], "a long enough copypasta"), (moderator, "a long enough copypasta"),
               (people["subscriber"], "a long enough copypasta")]
    ) == ["sent", "sent", "unique_chat"]  # fmt: skip
    assert Message.objects.filter(room=room).count() == 5


def test_a_chatters_first_message_in_a_room_is_marked_as_theirs_alone(room, people):
    from rooms.actions.messages import chatters_forget

    regular = people["regular"]
    first = message_send(room=room, author=regular, text="hi all, new here")
    assert first.message.is_first
    assert first.payload["first"] is True
    later = message_send(room=room, author=regular, text="again")
    assert not later.message.is_first
    assert "first" not in later.payload
    elsewhere = message_send(room=RoomFactory(), author=regular, text="hello other room")
    assert elsewhere.payload["first"] is True  # first in that room
    chatters_forget()  # another process, which has not seen them chat: reads it
    assert "first" not in message_send(room=room, author=regular, text="third").payload


def test_of_two_first_messages_in_one_batch_only_the_earlier_is_the_first(room, people):
    from rooms.actions.messages import _send_batch, _send_request
    from rooms.groupcommit import Pending

    newcomer, other = people["subscriber"], people["vip"]
    sends = [(newcomer, "hello"), (newcomer, "anyone?"), (other, "hey")]
    batch = [Pending(_send_request(room, author, text, "")) for author, text in sends]
    _send_batch(batch)
    assert [p.result.payload.get("first", False) for p in batch] == [True, False, True]
    assert list(
        Message.objects.filter(room=room).order_by("seq").values_list("is_first", flat=True)
    ) == [True, False, True]


def test_a_refused_first_message_leaves_the_next_one_first(room, people):
    regular = people["regular"]
    room.emote_only = True
    room.save(update_fields=["emote_only"])
    assert refused(room, regular, "words only").code == "emote_only"
    room.emote_only = False
    room.save(update_fields=["emote_only"])
    assert message_send(room=room, author=regular, text="now words").payload["first"] is True
