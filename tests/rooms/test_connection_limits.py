"""Open sockets are limited per client address and per account (in each process)."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from chatsite import connections
from chatsite.asgi import application
from tests.factories import RoomFactory, UserFactory
from tests.ws import ORIGIN, next_frame, open_room, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def refused(socket) -> tuple[dict, int]:
    frame = json.loads(await socket.receive_from(timeout=10))
    closed = await socket.receive_output(timeout=10)
    return frame, closed["code"]


async def test_one_socket_too_many_for_an_account_hears_why(settings):
    settings.WS_MAX_PER_USER = 2
    await sync_to_async(RoomFactory)(slug="crowded")
    user = await sync_to_async(UserFactory)()
    sockets = [(await open_room("crowded", user=user))[0] for _ in range(2)]
    extra, connected = await open_room("crowded", user=user)
    assert connected
    frame, code = await refused(extra)
    assert frame["code"] == "too_many_connections"
    assert "at most 2" in frame["message"]
    assert code == connections.CLOSE_CODE
    # Anyone else still gets in, and a closed socket frees its place.
    other, _ = await open_room("crowded", user=await sync_to_async(UserFactory)())
    assert (await next_frame(other, "history"))["type"] == "history"
    await sockets.pop().disconnect()
    again, _ = await open_room("crowded", user=user)
    assert (await next_frame(again, "history"))["type"] == "history"
    for socket in [*sockets, other, again]:
        await socket.disconnect()
    assert connections.open_counts() == (0, 0)


async def test_an_address_has_a_limit_for_every_socket_from_it(settings):
    settings.WS_MAX_PER_ADDRESS = 3
    await sync_to_async(RoomFactory)(slug="crowded")
    sockets = [(await open_room("crowded"))[0] for _ in range(3)]
    extra, _ = await open_room("crowded")
    assert (await refused(extra))[0]["code"] == "too_many_connections"

    irc = WebsocketCommunicator(application, "/irc", headers=[(b"host", b"localhost")],
                                subprotocols=["irc"])  # fmt: skip
    assert (await irc.connect(timeout=10))[0]
    assert "NOTICE" in await irc.receive_from(timeout=10)
    for socket in sockets:
        await socket.disconnect()


async def test_a_logged_in_users_sockets_count_with_the_session(settings):
    settings.WS_MAX_PER_USER = 1
    await sync_to_async(RoomFactory)(slug="crowded")
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(session_cookie)(user)
    headers = [(b"host", b"localhost"), (b"origin", ORIGIN.encode()), (b"cookie", cookie.encode())]
    first = WebsocketCommunicator(application, "/ws/rooms/crowded/", headers=headers)
    await first.connect(timeout=10)
    second = WebsocketCommunicator(application, "/ws/rooms/crowded/", headers=headers)
    await second.connect(timeout=10)
    assert (await refused(second))[1] == connections.CLOSE_CODE
    await first.disconnect()
