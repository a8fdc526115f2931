"""Room state is live: a change reaches connections that were open before it, and their very
next send is checked against it (each test opens its sockets first, then changes the room)."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async

from moderation.actions import bans, terms
from moderation.actions import rooms as room_actions
from rooms.actions.rooms import room_state_changed
from tests.factories import StyleFactory, UserFactory
from tests.ws import answer, joined, next_frame, open_room

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(room, user):
    """The room, its broadcaster, and a chatter with an open socket (opened in each test)."""
    return room, room.owner, user


async def say(socket, text: str, nonce: str) -> dict:
    """Send ``text``; the ack, notice or error that answers it."""
    await socket.send_to(text_data=json.dumps({"type": "send", "text": text, "nonce": nonce}))
    return await answer(socket, nonce)


async def opened(room, user):
    socket, connected = await open_room(room.slug, user=user)
    assert connected
    await joined(socket)
    return socket


async def set_mode(room, owner, field, value, socket) -> dict:
    """A moderator changes a mode; the open socket's next room_state shows it."""
    await sync_to_async(room_actions.room_mode_set)(
        room=room, actor=owner, field=field, value=value, source="dashboard"
    )
    state = await next_frame(socket, "room_state")
    assert state[field] == value
    return state


async def test_slow_mode_applies_to_an_open_connection(cast):
    room, owner, chatter = cast
    socket = await opened(room, chatter)
    await set_mode(room, owner, "slow_mode_seconds", 30, socket)
    assert (await say(socket, "first", "s1"))["type"] == "ack"
    refused = await say(socket, "second", "s2")
    assert refused["code"] == "slow_mode"
    assert 0 < refused["retry_after"] <= 30
    await socket.disconnect()


async def test_emote_only_applies_to_an_open_connection(cast):
    room, owner, chatter = cast
    socket = await opened(room, chatter)
    assert (await say(socket, "words are fine", "e1"))["type"] == "ack"
    await set_mode(room, owner, "emote_only", True, socket)
    assert (await say(socket, "words now", "e2"))["code"] == "emote_only"
    await socket.disconnect()


async def test_subscribers_only_applies_to_an_open_connection(cast):
    room, owner, chatter = cast
    socket = await opened(room, chatter)
    await set_mode(room, owner, "subscribers_only", True, socket)
    assert (await say(socket, "let me in", "o1"))["code"] == "subscribers_only"
    await socket.disconnect()


async def test_unique_chat_applies_to_open_connections(cast):
    room, owner, chatter = cast
    other = await sync_to_async(UserFactory)(username="copycat")
    socket, copier = await opened(room, chatter), await opened(room, other)
    await set_mode(room, owner, "unique_chat", True, socket)
    await next_frame(copier, "room_state")
    assert (await say(socket, "this exact line", "u1"))["type"] == "ack"
    assert (await say(copier, "This exact  line", "u2"))["code"] == "unique_chat"
    await socket.disconnect()
    await copier.disconnect()


async def test_pre_moderation_applies_to_an_open_connection(cast):
    room, owner, chatter = cast
    socket = await opened(room, chatter)
    await set_mode(room, owner, "pre_moderation", True, socket)
    ack = await say(socket, "waiting for a moderator", "p1")
    assert ack["state"] == "pending"
    await socket.disconnect()


async def test_a_new_automod_level_sends_an_open_connections_messages_to_review(cast):
    from chatsite.redis import redis_client
    from moderation.tasks import _key

    room, owner, chatter = cast
    room.automod_level = 0
    await sync_to_async(room.save)(update_fields=["automod_level"])
    socket = await opened(room, chatter)
    assert (await say(socket, "before the level", "a1"))["type"] == "ack"
    assert not redis_client().lrange(_key("waiting"), 0, -1)  # level 0: AutoMod is off
    await set_mode(room, owner, "automod_level", 2, socket)
    ack = await say(socket, "after the level", "a2")
    waiting = []
    for _ in range(100):  # queued for review after the ack, with the message's publication
        if waiting := redis_client().lrange(_key("waiting"), 0, -1):
            break
        await asyncio.sleep(0.05)
    assert waiting == [ack["id"].encode()]
    await socket.disconnect()


async def test_a_new_style_renders_an_open_connections_next_message(cast):
    room, _owner, chatter = cast
    socket = await opened(room, chatter)
    assert (await say(socket, "hello there", "y1"))["type"] == "ack"
    assert (await next_frame(socket, "message"))["message"]["text"] == "hello there"

    def restyle():
        shouty = StyleFactory(instant_rules={"casing": "upper"})
        room.style = shouty
        room.save(update_fields=["style"])
        room_state_changed(room=room)

    await sync_to_async(restyle)()
    await next_frame(socket, "room_state")
    assert (await say(socket, "hello again", "y2"))["type"] == "ack"
    assert (await next_frame(socket, "message"))["message"]["text"] == "HELLO AGAIN"
    await socket.disconnect()


async def test_a_ban_and_a_timeout_apply_to_open_connections(cast):
    room, owner, chatter = cast
    other = await sync_to_async(UserFactory)(username="timed")
    banned, timed = await opened(room, chatter), await opened(room, other)
    await sync_to_async(bans.user_ban)(room=room, actor=owner, target=chatter, source="api")
    await sync_to_async(bans.user_timeout)(
        room=room, actor=owner, target=other, seconds=60, source="api"
    )
    assert (await say(banned, "still here?", "b1"))["code"] == "banned"
    refused = await say(timed, "and me?", "t1")
    assert refused["code"] == "timed_out"
    assert 0 < refused["retry_after"] <= 60
    await banned.disconnect()
    await timed.disconnect()


async def test_a_blocked_term_applies_to_an_open_connection(cast):
    room, owner, chatter = cast
    socket = await opened(room, chatter)
    assert (await say(socket, "pineapple pizza", "k1"))["type"] == "ack"
    await sync_to_async(terms.room_term_add)(
        room=room, actor=owner, pattern="pineapple", source="api"
    )
    assert (await say(socket, "more pineapple please", "k2"))["code"] == "blocked_term"
    await socket.disconnect()


async def test_a_role_change_applies_to_an_open_connection(cast):
    room, owner, chatter = cast
    writer = await sync_to_async(UserFactory)(username="writer")
    socket, other = await opened(room, chatter), await opened(room, writer)
    await set_mode(room, owner, "slow_mode_seconds", 60, socket)
    await say(socket, "one", "r1")
    assert (await say(socket, "two", "r2"))["code"] == "slow_mode"

    await sync_to_async(room_actions.role_set)(
        room=room, actor=owner, target=chatter, role="mod", granted=True, source="command"
    )
    news = await next_frame(socket, "notice")
    assert news["code"] == "mod"
    # Moderators are exempt from slow mode, and see what chatters really wrote.
    assert (await say(socket, "three", "r3"))["type"] == "ack"
    assert (await say(other, "the original words", "r4"))["type"] == "ack"
    originals = [(await next_frame(socket, "original"))["original"] for _ in range(2)]
    assert originals == ["three", "the original words"]

    await sync_to_async(room_actions.role_set)(
        room=room, actor=owner, target=chatter, role="mod", granted=False, source="command"
    )
    assert (await next_frame(socket, "notice"))["code"] == "unmod"
    assert (await say(socket, "four", "r5"))["code"] == "slow_mode"
    await socket.disconnect()
    await other.disconnect()
