"""The HTTP protocol uvicorn runs here (``--http chatsite.server:HTTPProtocol``).

uvicorn's own h11 protocol with one change: every accepted TCP connection has Nagle's
algorithm off. asyncio turns it off only for a socket that reports ``IPPROTO_TCP``, and
the listening socket that uvicorn binds for ``--workers N`` reports protocol 0, so with
several workers every small write (an ack, a chat frame, a keep-alive response) waited
for the client's delayed ACK: some 40 ms on Linux (Kludex/uvicorn#3149). The WebSocket
protocol takes over the same socket on the upgrade, so this covers the sockets too.
"""

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def no_delay(transport: asyncio.BaseTransport) -> None:
    """Turn Nagle's algorithm off on a transport's TCP socket (a no-op for Unix sockets)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class HTTPProtocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        no_delay(transport)
        super().connection_made(transport)
