"""The LLM rewrites' queue: newest first, too-late ones skipped on purpose, every outcome
counted per room. A real Redis and a real OpenAI-compatible server on loopback."""

import time

import pytest

from rooms.actions.messages import message_send
from rooms.models import Message
from rooms.skibidi import tasks
from rooms.skibidi.rewrite import llm_backend
from tests.factories import RoomFactory, StyleFactory
from tests.llm_server import FakeOpenAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def llm(settings):
    server = FakeOpenAI()
    settings.LLM_BACKEND, settings.LLM_BASE_URL = "openai", server.base_url
    settings.LLM_MODEL, settings.LLM_MAX_AGE = "test-model", 2.0
    llm_backend.cache_clear()
    yield server
    llm_backend.cache_clear()
    server.close()


@pytest.fixture
def room():
    style = StyleFactory(llm_system_prompt="Talk like a bard.", llm_examples=[], markers=[])
    return RoomFactory(style=style)


@pytest.fixture
def queued(monkeypatch):
    """The drain tasks the send path queues (no worker runs in these tests)."""
    sent = []
    monkeypatch.setattr(tasks.skibidify_drain, "apply_async", lambda **kw: sent.append(kw))
    return sent


def waiting() -> list[str]:
    client = tasks.redis_client()
    return [raw.decode().split(":", 2)[2] for raw in client.lrange(tasks._key("waiting"), 0, -1)]


def test_sends_queue_their_rewrites_newest_first_with_one_task(room, user, llm, queued,
                                                                committing):  # fmt: skip
    with committing():
        ids = [str(message_send(room=room, author=user, text=f"hello number {n}").message.id)
               for n in range(3)]  # fmt: skip
    assert waiting() == ids[::-1]
    assert len(queued) == 1


def test_the_drain_rewrites_the_newest_first_and_skips_what_is_too_late(
    room, user, llm, queued, committing
):
    with committing():
        texts = ("hello old friends", "hello middle", "hello new")
        sent = [message_send(room=room, author=user, text=text).message for text in texts]
    old = sent[0]
    # The oldest waited past LLM_MAX_AGE before any worker got to it.
    client = tasks.redis_client()
    key = tasks._key("waiting")
    stale = f"{int((time.time() - 5) * 1000)}:{room.id}:{old.id}"
    client.lset(key, 2, stale)
    llm.reply = "Hark, hello there"

    assert tasks.drain() >= 1
    asked = [request["body"]["messages"][-1]["content"] for request in llm.requests]
    assert asked[0] == "Message: hello new"  # the newest first
    assert "Message: hello old friends" not in asked
    assert Message.objects.get(pk=old.pk).engine == "instant"  # skipped: the instant text stays
    assert waiting() == []
    stats = tasks.skibidi_stats(room_id=room.id)
    assert stats["skipped"] == 1
    assert stats["rewritten"] + stats["kept"] == 2
    assert not client.exists(tasks._key("queued"))  # the next send queues a task again


def test_a_failing_backend_is_counted_and_changes_nothing(room, user, llm, queued, committing):
    llm.status = 500
    with committing():
        sent = message_send(room=room, author=user, text="hello there").message
    tasks.drain()
    assert tasks.skibidi_stats(room_id=room.id)["failed"] == 1
    assert Message.objects.get(pk=sent.pk).engine == "instant"


def test_with_the_llm_off_nothing_is_queued(room, user, settings, queued, committing):
    settings.LLM_BACKEND = "off"
    with committing():
        message_send(room=room, author=user, text="hello there")
    assert waiting() == []
    assert queued == []
