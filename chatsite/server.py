"""The protocols uvicorn runs here: ``--http chatsite.server:HTTPProtocol --ws
chatsite.server:WebSocketProtocol`` (deploy/Procfile).

``HTTPProtocol`` is uvicorn's own h11 protocol with one change: every accepted TCP
connection has Nagle's algorithm off. asyncio turns it off only for a socket that
reports ``IPPROTO_TCP``, and the listening socket that uvicorn binds for ``--workers N``
reports protocol 0, so with several workers every small write (an ack, a chat frame, a
keep-alive response) waited for the client's delayed ACK: some 40 ms on Linux
(Kludex/uvicorn#3149). The WebSocket protocol takes over the same socket on the upgrade,
so this covers the sockets too.
"""

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


def no_delay(transport: asyncio.BaseTransport) -> None:
    """Turn Nagle's algorithm off on a transport's TCP socket (a no-op for Unix sockets)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class HTTPProtocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        no_delay(transport)
        super().connection_made(transport)


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's ``websockets-sansio`` protocol, reading ahead. uvicorn stops reading a
    socket after every frame until the app has taken it: two ``epoll_ctl`` system calls
    per frame, some 15% of the event loop's time at 5,000 sends a second, while our
    consumer takes each frame at once anyway. Here reading pauses only once
    ``READ_AHEAD`` frames wait for the app (a client that floods faster than the app
    reads still waits in its TCP buffers), and resumes, as uvicorn's does, once the app
    has taken them all."""

    READ_AHEAD = 16
    farewell: bytes | None = None  # a frame the app wants sent before a shutdown's close

    def shutdown(self) -> None:
        """A graceful shutdown (a deploy, a restart): the app's last words go first (the
        IRC gateway's ``RECONNECT``: Twitch clients come back at once, elsewhere), then
        uvicorn's close with code 1012."""
        if self.farewell is not None and self.handshake_complete and not self.close_sent:
            self.transport.write(self.farewell)
        super().shutdown()

    def send_receive_event_to_app(self) -> None:
        paused = self.read_paused
        self.read_paused = True  # so that uvicorn's own method does not pause reading
        try:
            super().send_receive_event_to_app()
        finally:
            self.read_paused = paused
        if not paused and self.queue.qsize() >= self.READ_AHEAD:
            self.read_paused = True
            self.transport.pause_reading()
