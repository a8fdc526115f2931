"""Plain TCP IRC: the same session as over WebSocket, for classic IRC clients."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from rest_framework.authtoken.models import Token

from chatsite.ports import free_port
from irc.lines import parse
from irc.tcp import serve
from rooms.actions.messages import message_send
from rooms.models import Message
from tests.factories import RoomFactory, UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def read_until(reader, command: str) -> list:
    lines = []
    while True:
        raw = await asyncio.wait_for(reader.readuntil(b"\r\n"), 10)
        line = parse(raw.decode())
        lines.append(line)
        if line.command == command:
            return lines


async def test_a_classic_client_chats_over_tcp_and_is_told_to_reconnect():
    room = await sync_to_async(RoomFactory)(slug="tcp_room")
    user = await sync_to_async(UserFactory)(username="oldschool")
    token = (await sync_to_async(Token.objects.create)(user=user)).key
    other = await sync_to_async(UserFactory)(username="browser_user")
    port, ready, stop = free_port(), asyncio.Event(), asyncio.Event()
    server = asyncio.create_task(serve("127.0.0.1", port, ready=ready, stop=stop))
    await ready.wait()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"PASS oauth:{token}\r\nNICK oldschool\r\nJOIN #tcp_room\r\n".encode())
        welcome = await read_until(reader, "376")
        assert welcome[0].params == ("oldschool", "Welcome, GLHF!")
        await read_until(reader, "ROOMSTATE")

        await sync_to_async(message_send)(room=room, author=other, text="hello tcp")
        (said,) = [line for line in await read_until(reader, "PRIVMSG")
                   if line.command == "PRIVMSG"]  # fmt: skip
        assert said.prefix.startswith("browser_user!")

        writer.write(b"PRIVMSG #tcp_room :hello from the terminal\r\n")
        await read_until(reader, "USERSTATE")
        assert await sync_to_async(Message.objects.filter(author=user).count)() == 1

        stop.set()
        reconnect = await read_until(reader, "RECONNECT")
        assert reconnect[-1].prefix == "tmi.twitch.tv"
        assert await reader.read() == b""  # and then closed
    finally:
        writer.close()
        stop.set()
        await server


async def test_tcp_clients_share_the_per_address_socket_limit(settings):
    settings.WS_MAX_PER_ADDRESS = 2
    port, ready, stop = free_port(), asyncio.Event(), asyncio.Event()
    server = asyncio.create_task(serve("127.0.0.1", port, ready=ready, stop=stop))
    await ready.wait()
    opened = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        (notice,) = await read_until(reader, "NOTICE")
        assert notice.tags["msg-id"] == "msg_ratelimit"
        assert "at most 2" in notice.params[-1]
        assert await reader.read() == b""  # closed
        writer.close()
    finally:
        for _, open_writer in opened:
            open_writer.close()
        stop.set()
        await server
