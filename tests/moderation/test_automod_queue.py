"""AutoMod's waiting list in Redis and its drain: batched, and nothing lost on the way."""

import pytest

from moderation import tasks
from rooms.actions.messages import message_send
from rooms.models import Message
from tests.factories import UserFactory

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
