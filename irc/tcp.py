"""Plain TCP IRC (port 6667 by default), for classic IRC clients: the same session as over
WebSocket (``irc.session``), carried by an asyncio stream server."""

import asyncio
import logging
import signal

from chatsite import metrics
from chatsite.socket_limits import socket_closed, socket_open
from irc import twitch
from irc.lines import MAX_LINE
from irc.session import IrcSession
from irc.wire import wire_text
from rooms.hub import OUTBOX_MAX_BYTES

logger = logging.getLogger(__name__)


class TcpConnection:
    """One client: lines in, lines out; cut when it reads too slowly (as a lagging
    WebSocket is), rather than buffering without bound."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.session = IrcSession(write=self.write, close=self.close)
        self.closed = False

    def write(self, text: str, frame: bytes | None = None) -> None:
        if self.closed:
            return
        transport = self.writer.transport
        if transport.get_write_buffer_size() > OUTBOX_MAX_BYTES:
            logger.info("closing an IRC client that reads too slowly")
            self.closed = True
            transport.abort()
            return
        self.writer.write(text.encode())

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.writer.close()

    async def serve(self) -> None:
        try:
            while not self.closed:
                try:
                    raw = await self.reader.readuntil(b"\n")
                except asyncio.LimitOverrunError:
                    await self.close()  # a line past MAX_LINE without an end
                    break
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                await self.session.receive(raw.decode("utf-8", errors="replace"))
        finally:
            self.closed = True
            await self.session.end()
            self.writer.close()


async def serve(
    host: str,
    port: int,
    *,
    ready: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until ``stop`` is set (by default: until SIGTERM or SIGINT); then every
    client is told to RECONNECT."""
    connections: set[TcpConnection] = set()

    async def accept(reader, writer) -> None:
        # The same per-address limit as the web processes' sockets (chatsite.socket_limits).
        address = (writer.get_extra_info("peername") or ("",))[0]
        refused = socket_open(address)
        if refused is not None:
            writer.write(wire_text([twitch.notice(refused.message, code="msg_ratelimit")]).encode())
            writer.close()
            return
        connection = TcpConnection(reader, writer)
        connections.add(connection)
        metrics.connection_opened("irc")
        try:
            await connection.serve()
        finally:
            metrics.connection_closed("irc")
            connections.discard(connection)
            socket_closed(address)

    server = await asyncio.start_server(accept, host, port, limit=MAX_LINE * 4)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    logger.info("IRC on %s:%d", host, port)
    if ready is not None:
        ready.set()
    async with server:
        await stop.wait()
        farewell = wire_text([twitch.reconnect()])
        for connection in list(connections):
            connection.write(farewell)
            await connection.close()
