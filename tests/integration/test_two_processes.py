"""Two real web processes on one Redis: chat and presence cross between them."""

import asyncio
import json

import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.factories import RoomFactory, UserFactory
from tests.ws import session_cookie, unbatch

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def open_socket(base_url: str, slug: str, cookie: str | None = None):
    headers = {"Origin": base_url}
    if cookie:
        headers["Cookie"] = cookie
    url = base_url.replace("http://", "ws://") + f"/ws/rooms/{slug}/"
    return await websockets.connect(url, additional_headers=headers)


async def next_of(socket, kind: str) -> dict:
    """The first frame of type ``kind`` not read yet (frames of a ``batch`` count one by one).
    Frames of other types stay unread: a ``message`` that overtook its ``ack`` is not lost."""
    unread = socket.__dict__.setdefault("unread", [])
    async with asyncio.timeout(15):
        while True:
            for index, frame in enumerate(unread):
                if frame["type"] == kind:
                    return unread.pop(index)
            unread.extend(unbatch(json.loads(await socket.recv())))


async def test_a_viewer_on_one_process_sees_a_message_sent_through_another(asgi_server):
    room = await sync_to_async(RoomFactory)(slug="shared_room")
    chatter = await sync_to_async(UserFactory)(username="crossing")
    first = (await sync_to_async(asgi_server)()).url
    second = (await sync_to_async(asgi_server)()).url
    cookie = await sync_to_async(session_cookie)(chatter)

    viewer = await open_socket(first, room.slug)
    await next_of(viewer, "history")
    sender = await open_socket(second, room.slug, cookie)
    joined = await next_of(sender, "presence")
    assert joined["viewers"] == 2
    assert joined["chatters"] == ["crossing"]

    await sender.send(json.dumps({"type": "send", "text": "hello from process two", "nonce": "x1"}))
    ack = await next_of(sender, "ack")
    seen = await next_of(viewer, "message")
    assert seen["message"]["id"] == ack["id"]
    assert seen["message"]["text"] == "hello from process two"

    # The debounced presence announcement crosses processes too.
    announced = await next_of(viewer, "presence")
    while announced["viewers"] != 2:
        announced = await next_of(viewer, "presence")
    assert announced["chatters"] == ["crossing"]
    await viewer.close()
    await sender.close()


async def test_a_killed_process_leaves_no_ghost_viewers(asgi_server, monkeypatch):
    from rooms import presence

    room = await sync_to_async(RoomFactory)(slug="ghost_room")
    doomed = await sync_to_async(asgi_server)()
    survivor = await sync_to_async(asgi_server)()
    await open_socket(doomed.url, room.slug)
    watcher = await open_socket(survivor.url, room.slug)
    assert (await next_of(watcher, "presence"))["viewers"] == 2

    # Killed without a goodbye: its connection stays listed until its entry expires.
    doomed.process.kill()
    doomed.process.wait()
    viewers, _, _ = await presence.snapshot(room.id)
    assert viewers == 2
    later = presence.time.time() + presence.TTL + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    # The survivor's own heartbeat would renew it; the dead one's cannot.
    await presence.arrive(room.id, "survivor-heartbeat", None)
    viewers, _, _ = await presence.snapshot(room.id)
    assert viewers == 1
    await watcher.close()
