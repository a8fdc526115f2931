import asyncio
import contextlib
import functools
import json
import time

import pytest
from asgiref.sync import sync_to_async

from rooms.actions import messages as services
from rooms.actions.messages import message_send
from rooms.actions.rooms import membership_set
from tests.factories import MessageFactory, RoomFactory, UserFactory
from tests.ws import answer, joined, next_frame, open_room

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chat(db):
    room = RoomFactory(slug="live_room")
    chatter = UserFactory(username="chatter", display_name="Chatter")
    return room, chatter


async def send(room, author, text, **kwargs):
    return await sync_to_async(message_send)(room=room, author=author, text=text, **kwargs)


async def test_a_viewer_gets_the_last_ten_messages_room_state_and_presence(chat):
    room, chatter = chat
    for n in range(12):
        await send(room, chatter, f"line {n}")
    viewer, connected = await open_room("live_room")
    assert connected
    frames = await joined(viewer)
    texts = [m["text"] for m in frames["history"]["messages"]]
    assert texts == [f"line {n}" for n in range(2, 12)]
    assert frames["history"]["last_seq"] == 12
    assert frames["room_state"]["room"] == "live_room"
    assert frames["presence"]["viewers"] >= 1
    await viewer.disconnect()


async def test_a_message_sent_by_a_chatter_reaches_an_anonymous_viewer(chat):
    _room, chatter = chat
    viewer, _ = await open_room("live_room")
    await joined(viewer)
    sender, _ = await open_room("live_room", user=chatter)
    await joined(sender)

    await sender.send_to(text_data=json.dumps({"type": "send", "text": "hi chat", "nonce": "a1"}))
    ack = await next_frame(sender, "ack")
    assert ack["nonce"] == "a1"
    assert ack["seq"] == 1

    seen = await next_frame(viewer, "message")
    assert seen["message"]["text"] == "hi chat"
    assert seen["message"]["id"] == ack["id"]
    assert seen["message"]["author"]["display_name"] == "Chatter"
    assert "original_text" not in seen["message"]
    await viewer.disconnect()
    await sender.disconnect()


async def test_anonymous_viewers_cannot_send(chat):
    viewer, _ = await open_room("live_room")
    await joined(viewer)
    await viewer.send_to(text_data=json.dumps({"type": "send", "text": "hi", "nonce": "n"}))
    error = await next_frame(viewer, "error")
    assert error["code"] == "not_logged_in"
    assert error["nonce"] == "n"
    await viewer.disconnect()


async def test_a_refusal_carries_code_message_and_retry_after(chat):
    _room, chatter = chat
    sender, _ = await open_room("live_room", user=chatter)
    await joined(sender)
    for _ in range(2):
        await sender.send_to(text_data=json.dumps({"type": "send", "text": "same"}))
    await next_frame(sender, "ack")
    error = await next_frame(sender, "error")
    assert error["code"] == "duplicate"
    assert 0 < error["retry_after"] <= 30
    assert "identical" in error["message"]
    await sender.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('{"type": "launch_missiles"}', "unknown_type"),
        ('{"type": "send"}', "invalid_frame"),
        ('{"type": "send", "text": 42}', "invalid_frame"),
        (json.dumps({"type": "send", "text": "x" * 9000}), "frame_too_large"),
        ("[" * 5000, "invalid_json"),  # nested past the parser's recursion limit
        ('{"a":' * 1200 + "1" + "}" * 1200, "invalid_json"),
    ],
)
async def test_bad_frames_get_an_error_and_the_connection_lives_on(chat, raw, code):
    _room, chatter = chat
    sender, _ = await open_room("live_room", user=chatter)
    await joined(sender)
    await sender.send_to(text_data=raw)
    assert (await next_frame(sender, "error"))["code"] == code
    await sender.send_to(text_data='{"type": "ping"}')
    assert (await next_frame(sender, "pong"))["type"] == "pong"
    await sender.disconnect()


async def test_binary_frames_are_refused(chat):
    viewer, _ = await open_room("live_room")
    await joined(viewer)
    await viewer.send_to(bytes_data=b"\x00\x01")
    assert (await next_frame(viewer, "error"))["code"] == "binary_not_supported"
    await viewer.disconnect()


async def test_an_unknown_room_says_so_and_closes(db):
    viewer, connected = await open_room("nowhere")
    assert connected
    error = await next_frame(viewer)
    assert error == {"type": "error", "code": "room_not_found", "message": "No room 'nowhere'."}
    closed = await viewer.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4404}


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://localhost:6666",
        "https://localhost",
        "null",
        "http://localhost.evil.example",
        "ftp://localhost",
        "http://[::1",
    ],
)
async def test_a_page_of_another_origin_may_not_open_the_socket(chat, origin):
    """Same origin means the same scheme, host and port (the page here is
    ``http://localhost``): another port on the machine, or plain ``https``, is another site."""
    _, connected = await open_room("live_room", origin=origin)
    assert not connected


@pytest.mark.parametrize("origin", ["http://localhost", "HTTP://LOCALHOST", "http://localhost:80"])
async def test_the_pages_own_origin_may(chat, origin):
    viewer, connected = await open_room("live_room", origin=origin)
    assert connected
    await viewer.disconnect()


async def test_an_origin_the_operator_trusts_may(chat, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://chat.example.com"]
    viewer, connected = await open_room("live_room", origin="https://chat.example.com")
    assert connected
    await viewer.disconnect()


async def test_resume_replays_exactly_what_was_missed_then_live(chat):
    room, chatter = chat
    for n in range(3):
        await send(room, chatter, f"before {n}")
    first, _ = await open_room("live_room")
    frames = await joined(first)
    last_seen = frames["history"]["messages"][-1]["seq"]
    await first.disconnect()

    for n in range(5):
        await send(room, chatter, f"missed {n}")
    again, _ = await open_room("live_room", since=last_seen)
    frames = await joined(again)
    assert frames["history"]["resumed"] is True
    replayed = [m["seq"] for m in frames["history"]["messages"]]
    assert frames["history"]["last_seq"] == (replayed[-1] if replayed else last_seen)

    # What this process had not delivered yet when the client came back follows live:
    # together, exactly what was missed, then the new message, each once.
    await send(room, chatter, "live one")
    live = []
    while not live or live[-1] != 9:
        live.append((await next_frame(again, "message"))["message"]["seq"])
    assert replayed + live == [4, 5, 6, 7, 8, 9]
    await again.disconnect()


async def test_resume_says_what_moderators_changed_while_the_client_was_away(chat):
    from moderation.actions.automod import automod_review, held_allow
    from moderation.actions.messages import message_delete

    room, chatter = chat
    kept = await send(room, chatter, "fine line")
    doomed = await send(room, chatter, "line a moderator deletes")
    rude = await send(room, chatter, "you fucking idiot")
    await sync_to_async(automod_review)(message_ids=[str(rude.message.id)])  # held
    viewer, _ = await open_room("live_room")
    frames = await joined(viewer)
    shown = [m["id"] for m in frames["history"]["messages"]]
    assert shown == [str(kept.message.id), str(doomed.message.id)]
    await viewer.disconnect()

    owner = room.owner
    await sync_to_async(message_delete)(
        room=room, actor=owner, message_id=str(doomed.message.id), source="api"
    )
    await sync_to_async(held_allow)(
        room=room, actor=owner, message_id=str(rude.message.id), source="api"
    )
    again, _ = await open_room("live_room", since=rude.message.seq)
    history = (await joined(again))["history"]
    assert history["resumed"] is True
    assert history["messages"] == []  # nothing new after `since`
    assert history["removed"] == [str(doomed.message.id)]
    assert [m["id"] for m in history["restored"]] == [str(rude.message.id)]
    await again.disconnect()


async def test_a_gap_too_large_to_replay_asks_the_client_to_resync(chat, monkeypatch):
    room, chatter = chat
    monkeypatch.setattr("rooms.selectors.RESUME_MAX", 3)
    for n in range(6):
        await send(room, chatter, f"m{n}")
    viewer, _ = await open_room("live_room", since=1)
    frames = await joined(viewer)
    assert "resync" in frames
    assert [m["seq"] for m in frames["resync"]["messages"]] == [1, 2, 3, 4, 5, 6]
    await viewer.disconnect()


async def test_a_since_beyond_the_room_is_treated_as_a_fresh_start(chat):
    room, chatter = chat
    await send(room, chatter, "only one")
    viewer, _ = await open_room("live_room", since=999)
    frames = await joined(viewer)
    assert [m["seq"] for m in frames["resync"]["messages"]] == [1]
    await send(room, chatter, "next")
    assert (await next_frame(viewer, "message"))["message"]["seq"] == 2
    await viewer.disconnect()


async def test_hidden_messages_are_not_in_history(chat):
    room, chatter = chat
    await sync_to_async(MessageFactory)(room=room, seq=1, author=chatter, state="deleted")
    viewer, _ = await open_room("live_room")
    frames = await joined(viewer)
    assert frames["history"]["messages"] == []
    await viewer.disconnect()


async def test_presence_counts_viewers_and_lists_chatters(chat):
    _room, chatter = chat
    viewer, _ = await open_room("live_room")
    await joined(viewer)
    sender, _ = await open_room("live_room", user=chatter)
    frames = await joined(sender)
    assert frames["presence"]["viewers"] == 2
    assert frames["presence"]["chatters"] == ["chatter"]
    # The debounced announcement reaches the first viewer too.
    announced = await next_frame(viewer, "presence")
    while announced["viewers"] != 2:
        announced = await next_frame(viewer, "presence")
    assert announced["chatter_count"] == 1
    await sender.disconnect()
    announced = await next_frame(viewer, "presence")
    while announced["viewers"] != 1:
        announced = await next_frame(viewer, "presence")
    assert announced["chatters"] == []
    await viewer.disconnect()


async def test_moderators_also_get_what_chatters_really_wrote(chat):
    from rooms.actions.rooms import membership_set
    from tests.factories import StyleFactory

    room, chatter = chat
    style = await sync_to_async(StyleFactory)(instant_rules={"swaps": {"hello": "hark"}})
    room.style = style
    await sync_to_async(room.save)(update_fields=["style"])
    moderator = await sync_to_async(UserFactory)(username="modder")
    await sync_to_async(membership_set)(room=room, user=moderator, is_moderator=True)
    mod_socket, _ = await open_room("live_room", user=moderator)
    await joined(mod_socket)
    viewer, _ = await open_room("live_room", user=await sync_to_async(UserFactory)())
    await joined(viewer)

    await send(room, chatter, "hello there")
    original = await next_frame(mod_socket, "original")
    assert original["original"] == "hello there"
    shown = await next_frame(viewer, "message")
    assert shown["message"]["text"] == "hark there"
    assert shown["message"]["id"] == original["id"]
    # Frames go out in publish order: had the viewer been sent the original, it
    # would come before the next message.
    await send(room, chatter, "hello again")
    following = await next_frame(viewer)
    while following["type"] == "presence":
        following = await next_frame(viewer)
    assert following["type"] == "message"
    assert following["message"]["text"] == "hark again"
    await mod_socket.disconnect()
    await viewer.disconnect()


async def test_a_timeout_clears_the_users_messages_from_every_screen(chat):
    from moderation.actions.bans import user_timeout
    from rooms.actions.rooms import membership_set

    room, chatter = chat
    moderator = await sync_to_async(UserFactory)(username="sheriff")
    await sync_to_async(membership_set)(room=room, user=moderator, is_moderator=True)
    viewer, _ = await open_room("live_room")
    await joined(viewer)
    await send(room, chatter, "spam spam spam")
    await next_frame(viewer, "message")

    await sync_to_async(user_timeout)(
        room=room, actor=moderator, target=chatter, seconds=300, source="api"
    )
    cleared = await next_frame(viewer, "clear_user")
    assert cleared == {"type": "clear_user", "user_id": chatter.id, "login": "chatter",
                       "duration": 300}  # fmt: skip

    again, _ = await open_room("live_room")
    frames = await joined(again)
    assert frames["history"]["messages"] == []
    await viewer.disconnect()
    await again.disconnect()


async def test_a_burst_of_sends_is_acked_and_stored_in_the_order_it_was_sent(chat):
    room, chatter = chat
    sender, _ = await open_room("live_room", user=chatter)
    await joined(sender)
    for n in range(15):  # without waiting for the acks in between
        await sender.send_to(text_data=json.dumps({"type": "send", "text": f"line {n}",
                                                   "nonce": f"n{n}"}))  # fmt: skip
    acks = [await answer(sender, f"n{n}") for n in range(15)]
    assert [ack["type"] for ack in acks] == ["ack"] * 15
    assert [ack["seq"] for ack in acks] == list(range(1, 16))
    stored = await sync_to_async(list)(room.messages.order_by("seq"))
    assert [m.original_text for m in stored] == [f"line {n}" for n in range(15)]
    await sender.disconnect()


async def test_a_command_acts_after_the_messages_sent_before_it(chat, monkeypatch):
    room, _ = chat
    store = services._committer._store_batch

    def busy(batch):  # the send batches take their time, as under load
        time.sleep(0.2)
        store(batch)

    monkeypatch.setattr(services._committer, "_store_batch", busy)
    moderator = await sync_to_async(UserFactory)(username="mod")
    await sync_to_async(membership_set)(room=room, user=moderator, is_moderator=True)
    sender, _ = await open_room("live_room", user=moderator)
    await joined(sender)
    for n in range(5):
        await sender.send_to(text_data=json.dumps({"type": "send", "text": f"line {n}",
                                                   "nonce": f"n{n}"}))  # fmt: skip
    await sender.send_to(text_data=json.dumps({"type": "send", "text": "/clear", "nonce": "c"}))
    assert (await answer(sender, "c"))["type"] == "notice"
    assert [(await answer(sender, f"n{n}"))["type"] for n in range(5)] == ["ack"] * 5

    viewer, _ = await open_room("live_room")
    assert (await joined(viewer))["history"]["messages"] == []  # all five were cleared
    await viewer.disconnect()
    await sender.disconnect()


async def test_a_send_that_fails_unexpectedly_gets_an_error_and_the_socket_lives_on(
    chat, monkeypatch
):
    _room, chatter = chat

    def broken(batch):
        raise RuntimeError("a bug in the batch")

    monkeypatch.setattr(services._committer, "_store_batch", broken)
    sender, _ = await open_room("live_room", user=chatter)
    await joined(sender)
    await sender.send_to(text_data=json.dumps({"type": "send", "text": "hi", "nonce": "b1"}))
    error = await answer(sender, "b1")
    assert (error["type"], error["code"]) == ("error", "unavailable")

    monkeypatch.undo()
    await sender.send_to(text_data=json.dumps({"type": "send", "text": "again", "nonce": "b2"}))
    assert (await answer(sender, "b2"))["type"] == "ack"
    await sender.disconnect()


async def test_rooms_opened_together_are_all_heard_by_the_hub():
    """The first connections to three rooms at once: the hub makes one channel and hears
    every room on it (it used to make one per room and read only the last, so the other
    rooms' updates and presence never arrived, and their messages came late)."""
    from rooms import events
    from rooms.hub import get_hub

    rooms = [await sync_to_async(RoomFactory)(slug=f"together_{n}") for n in range(3)]
    hub = get_hub()
    feeds = await asyncio.gather(*(hub.feed(room) for room in rooms))
    heard: dict[int, list] = {room.id: [] for room in rooms}
    everything = asyncio.Event()

    def hear(room_id: int, event: dict) -> None:
        heard[room_id].append(event["parts"][0][1])
        if all(len(frames) == 3 for frames in heard.values()):
            everything.set()

    for feed in feeds:
        feed.on_event = functools.partial(hear, feed.room_id)
    for n in range(3):
        for room in rooms:
            frame = {"type": "notice", "message": f"{room.slug} {n}"}
            await sync_to_async(events.broadcast)(room.id, frame)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(everything.wait(), 5)
    assert {room_id: len(frames) for room_id, frames in heard.items()} == {
        room.id: 3 for room in rooms
    }
    for feed in feeds:
        hub.release(feed)


@pytest.mark.parametrize("since", ["%C2%B2", "99999999999999999999999", "-3", "abc"])
async def test_a_malformed_resume_point_starts_afresh_instead_of_closing(chat, since):
    room, chatter = chat
    await send(room, chatter, "before you came")
    viewer, connected = await open_room("live_room", since=since)
    assert connected
    frames = await joined(viewer)
    assert [m["text"] for m in frames["history"]["messages"]] == ["before you came"]
    await viewer.disconnect()


async def test_behind_a_tls_proxy_the_https_page_is_the_sites_own(chat, settings):
    from chatsite.origins import origin_allowed

    scope = {"type": "websocket", "scheme": "ws", "headers": [
        (b"host", b"localhost"), (b"origin", b"https://localhost"),
        (b"x-forwarded-proto", b"https")]}  # fmt: skip
    assert not origin_allowed(scope)  # the header is trusted only when told to
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert origin_allowed(scope)
