"""A viewer that stops reading is cut off and resumes later; it never holds the room back."""

import asyncio
import json
import socket

import pytest
import websockets
from asgiref.sync import sync_to_async

from rooms import events
from tests.factories import RoomFactory
from tests.ws import unbatch

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

FLOOD = 120  # frames of about 60 KB: about 7 MB, far more than any socket buffer holds


def _stuck_client(port: int, path: str) -> socket.socket:
    """A WebSocket client that completes the handshake, then never reads again."""
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", port))
    raw.sendall(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n".encode()
    )
    assert b" 101 " in raw.recv(1024)
    return raw


def _drain_until_closed(raw: socket.socket, timeout: float) -> bool:
    """Read everything left; True when the server ended the connection."""
    raw.settimeout(timeout)
    try:
        while raw.recv(1 << 20):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


async def test_a_stuck_viewer_is_cut_off_and_the_room_goes_on(asgi_server):
    room = await sync_to_async(RoomFactory)(slug="slow_room")
    server = await sync_to_async(asgi_server)()
    port = int(server.url.rsplit(":", 1)[1])
    path = f"/ws/rooms/{room.slug}/"
    stuck = await asyncio.to_thread(_stuck_client, port, path)
    reader = await websockets.connect(
        f"ws://127.0.0.1:{port}{path}", additional_headers={"Origin": server.url}, max_size=None
    )

    filler = "x" * 60_000
    for n in range(FLOOD):
        frame = events.notice_frame(f"{n} {filler}")
        await sync_to_async(events.broadcast)(room.id, frame)

    got = []
    async with asyncio.timeout(60):
        while len(got) < FLOOD:
            for frame in unbatch(json.loads(await reader.recv())):
                if frame["type"] == "notice":
                    got.append(int(frame["message"].split(" ", 1)[0]))
    assert got == list(range(FLOOD))  # the reading viewer got everything, in order
    assert await asyncio.to_thread(_drain_until_closed, stuck, 30)
    stuck.close()
    await reader.close()
