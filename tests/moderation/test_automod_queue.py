"""AutoMod's waiting list in Redis and its drain: batched, and nothing lost on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import tasks
from rooms.actions.messages import message_send
from rooms.models import Message
from tests.factories import RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

RUDE = "you are a fucking idiot"


@pytest.fixture
def queued(monkeypatch):
    """The drain tasks the send path would queue (no worker runs in these tests)."""
    sent = []
    monkeypatch.setattr(tasks.automod_drain, "apply_async", lambda **kw: sent.append(kw))
    return sent


def waiting() -> list[str]:
    return [raw.decode() for raw in tasks.redis_client().lrange(tasks._key("waiting"), 0, -1)]


def test_many_sends_queue_one_drain(room, committing, queued):
    with committing():
        ids = [str(message_send(room=room, author=UserFactory(), text=f"hi {n}").message.id)
               for n in range(5)]  # fmt: skip
    assert waiting() == ids
    assert len(queued) == 1


def test_a_drain_judges_everything_and_leaves_nothing_behind(room, committing, queued):
    with committing():
        rude = message_send(room=room, author=UserFactory(), text=RUDE).message
        for n in range(40):  # more than one batch
            message_send(room=room, author=UserFactory(), text=f"gg {n}")
    assert tasks.drain() == 41
    assert Message.objects.get(pk=rude.pk).state == Message.State.HELD
    assert not Message.objects.filter(automod_scores__isnull=True).exists()
    assert waiting() == []
    client = tasks.redis_client()
    assert not client.exists(tasks._key("queued"), tasks._key("lock"))

    # The next message queues a drain again at once.
    with committing():
        message_send(room=room, author=UserFactory(), text="hello again")
    assert len(queued) == 2


def test_while_one_drainer_works_another_waits_and_loses_nothing(room, committing, queued):
    with committing():
        sent = message_send(room=room, author=UserFactory(), text=RUDE).message
    client = tasks.redis_client()
    client.set(tasks._key("lock"), 1, px=5000)  # a drainer at work elsewhere
    assert tasks.drain() is None
    assert waiting() == [str(sent.id)]  # still there for the lock holder or the retry
    client.delete(tasks._key("lock"))
    assert tasks.drain() == 1


def test_a_redelivered_id_is_not_judged_twice(room, committing, queued):
    with committing():
        sent = message_send(room=room, author=UserFactory(), text=RUDE).message
    tasks.drain()
    tasks.redis_client().rpush(tasks._key("waiting"), str(sent.id))  # as after a crash
    assert tasks.drain() == 0
    assert Message.objects.get(pk=sent.pk).state == Message.State.HELD


def test_a_pre_moderated_message_that_redis_forgot_is_judged_all_the_same(room, committing, queued):
    """Redis restarted and lost AutoMod's list: the messages waiting in a pre-moderated
    room are found in PostgreSQL again, not stuck forever."""
    room.automod_level, room.pre_moderation = 2, True
    room.save()
    with committing():
        kind = message_send(room=room, author=UserFactory(), text="good game everyone").message
        rude = message_send(room=room, author=UserFactory(), text=RUDE).message
    assert kind.state == rude.state == Message.State.PENDING
    tasks.redis_client().flushdb()  # the restart: nothing of the list survives
    assert tasks.automod_sweep() == 0  # too recent: their own drain may still be coming
    Message.objects.filter(pk__in=[kind.pk, rude.pk]).update(
        created_at=timezone.now() - timedelta(seconds=tasks.SWEEP_AFTER + 1)
    )

    assert tasks.automod_sweep() == 2
    assert tasks.drain() == 2
    kind.refresh_from_db()
    rude.refresh_from_db()
    assert kind.state == Message.State.VISIBLE
    assert rude.state in (Message.State.HELD, Message.State.BLOCKED)
    assert tasks.automod_sweep() == 0  # nothing is left waiting


def test_a_visible_message_redis_forgot_is_still_reviewed(room, committing, queued):
    """Post-moderation (AutoMod on, no pre-moderation): the message shows at once, and
    AutoMod's verdict on it is owed in PostgreSQL until given."""
    room.automod_level = 2
    room.save()
    with committing():
        rude = message_send(room=room, author=UserFactory(), text=RUDE).message
    quiet_room = RoomFactory(automod_level=0)
    with committing():
        unreviewed = message_send(room=quiet_room, author=UserFactory(), text=RUDE).message
    assert unreviewed.automod_scores == {}  # AutoMod off: nothing owed
    tasks.redis_client().flushdb()
    Message.objects.update(created_at=timezone.now() - timedelta(seconds=tasks.SWEEP_AFTER + 1))

    assert tasks.automod_sweep() == 1
    assert tasks.drain() == 1
    rude.refresh_from_db()
    assert rude.state in (Message.State.HELD, Message.State.BLOCKED)
