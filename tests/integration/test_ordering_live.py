"""Many senders on two real web processes at once: every acknowledged message reaches every
open viewer (on either process) exactly once, in seq order, with an unbroken prev chain."""

import asyncio
import json

import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.factories import RoomFactory, UserFactory
from tests.ws import session_cookie, unbatch

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SENDERS = 8
MESSAGES_EACH = 25
VIEWERS_PER_PROCESS = 3


async def _connect(base_url: str, slug: str, cookie: str | None = None):
    headers = {"Origin": base_url}
    if cookie:
        headers["Cookie"] = cookie
    url = base_url.replace("http://", "ws://") + f"/ws/rooms/{slug}/"
    socket = await websockets.connect(url, additional_headers=headers, max_queue=None)
    async with asyncio.timeout(15):
        while json.loads(await socket.recv())["type"] != "history":
            pass
    return socket


async def _messages_of(socket) -> list[dict]:
    return [f for f in unbatch(json.loads(await socket.recv())) if f["type"] == "message"]


async def _watch(socket, total: int) -> list[dict]:
    """The socket's message frames: the first ``total``, and any that follow in a moment."""
    seen: list[dict] = []
    async with asyncio.timeout(150):
        while len(seen) < total:
            seen.extend(await _messages_of(socket))
    try:
        async with asyncio.timeout(0.5):  # anything extra (a duplicate) would arrive by now
            while True:
                seen.extend(await _messages_of(socket))
    except TimeoutError:
        pass
    return seen


async def _send_all(socket, name: str, acked: list[int]) -> None:
    """Send without waiting between messages (each connection's sends are still handled one
    after another; the connections race each other on the server's threads)."""
    for n in range(MESSAGES_EACH):
        await socket.send(
            json.dumps({"type": "send", "text": f"{name} {n}", "nonce": f"{name}-{n}"})
        )
    while len(acked) < MESSAGES_EACH:
        frame = json.loads(await socket.recv())
        for part in unbatch(frame):
            if part["type"] == "ack":
                acked.append(part["seq"])
            assert part["type"] != "error", part


@pytest.mark.parametrize("server", ["uvicorn", "daphne"])
async def test_every_acknowledged_message_reaches_every_viewer_once_in_order(asgi_server, server):
    room = await sync_to_async(RoomFactory)(slug="race_room")
    users = [await sync_to_async(UserFactory)(username=f"racer_{n}") for n in range(SENDERS)]
    limits = {"RATE_LIMIT_REGULAR": "100000/30"}
    servers = [(await sync_to_async(asgi_server)(server=server, **limits)).url for _ in range(2)]

    total = SENDERS * MESSAGES_EACH
    viewers = []
    for base in servers:
        for _ in range(VIEWERS_PER_PROCESS):
            viewers.append(await _connect(base, room.slug))
    watchers = [asyncio.create_task(_watch(viewer, total)) for viewer in viewers]
    senders = []
    for n, user in enumerate(users):
        cookie = await sync_to_async(session_cookie)(user)
        senders.append(await _connect(servers[n % 2], room.slug, cookie))

    acks: list[list[int]] = [[] for _ in users]
    async with asyncio.timeout(120):
        await asyncio.gather(
            *(_send_all(s, u.username, a) for s, u, a in zip(senders, users, acks, strict=True))
        )
    acknowledged = sorted(seq for per_sender in acks for seq in per_sender)
    assert acknowledged == list(range(1, total + 1))

    for seen in await asyncio.gather(*watchers):
        seqs = [frame["message"]["seq"] for frame in seen]
        assert seqs == acknowledged  # each once, in order, none missing
        assert [frame["prev"] for frame in seen] == [0, *acknowledged[:-1]]
    for socket in [*viewers, *senders]:
        await socket.close()
