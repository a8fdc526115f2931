"""The ordering contract (docs/protocol.md, "Ordering"): every stored message reaches every
open viewer once, in seq order, even when its publication arrives late or never."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from rooms import events
from rooms.actions.messages import message_send
from tests.factories import RoomFactory, UserFactory
from tests.published import Published
from tests.ws import joined, next_frame, open_room

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chat(db):
    return RoomFactory(slug="ordered"), UserFactory(username="racer")


def _store_unpublished(room, author, texts):
    """Store messages the way message_send does, but keep their publications back."""
    from rooms.actions import messages as services

    stored, held_back = [], []
    original = services.events.publish_many

    def hold_back(envelopes, along=None):  # what the rules remember still goes to Redis
        held_back.extend(envelopes)
        if along is not None:
            along.execute()

    services.events.publish_many = hold_back
    try:
        for text in texts:
            stored.append(message_send(room=room, author=author, text=text))
    finally:
        services.events.publish_many = original
    return stored, held_back


def _publish(envelope):
    events.publish_many([envelope])


async def _messages(viewer, count):
    return [(await next_frame(viewer, "message")) for _ in range(count)]


async def test_frames_published_out_of_order_reach_viewers_in_seq_order(chat):
    room, author = chat
    viewer, _ = await open_room("ordered")
    await joined(viewer)
    _, held_back = await sync_to_async(_store_unpublished)(room, author, ["one", "two", "three"])

    # The third send's publication wins the race, then the first, then the second.
    for index in (2, 0, 1):
        await sync_to_async(_publish)(held_back[index])

    frames = await _messages(viewer, 3)
    assert [f["message"]["text"] for f in frames] == ["one", "two", "three"]
    assert [f["message"]["seq"] for f in frames] == [1, 2, 3]
    assert [f["prev"] for f in frames] == [0, 1, 2]
    await viewer.disconnect()


async def test_a_publication_that_never_comes_is_filled_from_the_database(chat):
    room, author = chat
    viewer, _ = await open_room("ordered")
    await joined(viewer)
    _, held_back = await sync_to_async(_store_unpublished)(room, author, ["lost", "after"])

    # The first message was stored and acknowledged, but its publisher died before publishing.
    await sync_to_async(_publish)(held_back[1])

    frames = await _messages(viewer, 2)
    assert [f["message"]["text"] for f in frames] == ["lost", "after"]
    assert [f["prev"] for f in frames] == [0, 1]
    await viewer.disconnect()


async def test_a_late_duplicate_publication_is_not_shown_twice(chat):
    room, author = chat
    viewer, _ = await open_room("ordered")
    await joined(viewer)
    _, held_back = await sync_to_async(_store_unpublished)(room, author, ["once", "next"])
    await sync_to_async(_publish)(held_back[0])
    await sync_to_async(_publish)(held_back[0])
    await sync_to_async(_publish)(held_back[1])

    frames = await _messages(viewer, 2)
    assert [f["message"]["text"] for f in frames] == ["once", "next"]
    await viewer.send_to(text_data=json.dumps({"type": "ping"}))
    assert (await next_frame(viewer))["type"] in {"pong", "presence"}
    await viewer.disconnect()


async def test_hidden_messages_move_the_stream_on_without_a_false_gap(chat):
    """A shadow-banned chatter's message has a seq the rest of the room never sees: the next
    message's prev points past it only for those who saw it."""
    from moderation.models import ShadowBan

    room, author = chat
    shadowed = await sync_to_async(UserFactory)(username="shady")
    await sync_to_async(ShadowBan.objects.create)(room=room, user=shadowed)
    viewer, _ = await open_room("ordered")
    await joined(viewer)
    await sync_to_async(message_send)(room=room, author=author, text="first")
    await sync_to_async(message_send)(room=room, author=shadowed, text="only i see this")
    await sync_to_async(message_send)(room=room, author=author, text="third")

    frames = await _messages(viewer, 2)
    assert [(f["prev"], f["message"]["seq"]) for f in frames] == [(0, 1), (1, 3)]
    await viewer.disconnect()


async def test_a_viewer_joining_mid_stream_gets_history_then_exactly_what_followed(chat):
    room, author = chat
    for n in range(3):
        await sync_to_async(message_send)(room=room, author=author, text=f"early {n}")
    viewer, _ = await open_room("ordered")
    frames = await joined(viewer)
    assert frames["history"]["last_seq"] == 3
    assert [m["seq"] for m in frames["history"]["messages"]] == [1, 2, 3]
    await sync_to_async(message_send)(room=room, author=author, text="late")
    live = await next_frame(viewer, "message")
    assert (live["prev"], live["message"]["seq"]) == (3, 4)
    await viewer.disconnect()


async def test_a_lost_last_publication_still_reaches_viewers(chat, monkeypatch):
    """No later message reveals the hole: the feed's periodic check of the room's newest
    stored seq finds it."""
    from rooms import hub

    monkeypatch.setattr(hub, "CATCH_UP", 0.2)
    room, author = chat
    viewer, _ = await open_room("ordered")
    await joined(viewer)
    await sync_to_async(_store_unpublished)(room, author, ["never published"])

    frame = await next_frame(viewer, "message")
    assert (frame["prev"], frame["message"]["text"]) == (0, "never published")
    await viewer.disconnect()


async def test_a_batch_of_one_rooms_envelopes_is_one_publication_and_reaches_viewers_in_order(
    chat,
):
    room, author = chat
    other = await sync_to_async(RoomFactory)(slug="elsewhere")
    viewer, _ = await open_room("ordered")
    await joined(viewer)
    _, held_back = await sync_to_async(_store_unpublished)(room, author, ["a", "b", "c"])
    _, elsewhere = await sync_to_async(_store_unpublished)(other, author, ["x"])

    published = await sync_to_async(Published)(room.id)
    await sync_to_async(events.publish_many)([held_back[0], elsewhere[0], *held_back[1:]])
    # One Redis message carries the room's three envelopes, in seq order.
    raw = await sync_to_async(published.pubsub.get_message)(timeout=5)
    assert [e["seq"] for e in events.unpack(get_channel_layer().deserialize(raw["data"]))] == [
        1, 2, 3,
    ]  # fmt: skip
    await sync_to_async(published.close)()

    frames = await _messages(viewer, 3)
    assert [f["message"]["text"] for f in frames] == ["a", "b", "c"]
    await viewer.disconnect()
