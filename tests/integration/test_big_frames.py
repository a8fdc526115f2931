"""A frame far over the limit, through the real web server: an error frame, and the
connection stays up (docs/protocol.md), whatever its size up to the transport's 16 MiB."""

import json

import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.factories import RoomFactory
from tests.integration.test_two_processes import next_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [9 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024])
async def test_an_oversized_frame_gets_an_error_frame_and_the_connection_stays(asgi_server, size):
    room = await sync_to_async(RoomFactory)(slug="big_frames")
    server = await sync_to_async(asgi_server)()
    url = server.url.replace("http://", "ws://") + f"/ws/rooms/{room.slug}/"
    async with websockets.connect(url, additional_headers={"Origin": server.url},
                                  max_size=None) as socket:  # fmt: skip
        await next_of(socket, "history")
        await socket.send(json.dumps({"type": "ping", "pad": "x" * size}))
        error = await next_of(socket, "error")
        assert error["code"] == "frame_too_large"
        await socket.send(json.dumps({"type": "ping"}))
        assert (await next_of(socket, "pong"))["type"] == "pong"
