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
import functools
import logging
import os
import signal
import socket
import threading

from uvicorn import Server
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from chatsite.lifecycle import mark_stopping, stopping

logger = logging.getLogger(__name__)

# Seconds between SIGTERM and the start of the shutdown, while /readyz already answers
# 503 and the process still serves (the load balancer's time to stop sending clients).
SHUTDOWN_DRAIN = float(os.environ.get("SHUTDOWN_DRAIN", "0") or 0)


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


def _drain_first(uvicorn_exit, signum: int, frame) -> None:
    """SIGTERM to a web process: ``/readyz`` turns red at once; after ``SHUTDOWN_DRAIN``
    seconds, uvicorn's own shutdown: it stops accepting, sends every socket its last
    words (``WebSocketProtocol.farewell``) and a close, waits for the connections' work
    in flight (each consumer finishes its sends), and exits. A second signal, or Ctrl-C,
    does not wait."""
    if stopping() or SHUTDOWN_DRAIN <= 0 or signum == signal.SIGINT:
        mark_stopping()
        _graceful_exit(uvicorn_exit, signum)
        return
    mark_stopping()
    logger.info("Stopping: /readyz answers 503; the shutdown starts in %.0f s", SHUTDOWN_DRAIN)
    timer = threading.Timer(SHUTDOWN_DRAIN, _graceful_exit, (uvicorn_exit, signum))
    timer.daemon = True
    timer.start()


def _graceful_exit(uvicorn_exit, signum: int) -> None:
    """uvicorn's shutdown, ending in exit status 0: a shutdown asked for and carried out
    is a success (uvicorn would raise the signal again once done, and the process would
    end "killed by SIGTERM", which process managers and ``make run`` report as a
    failure)."""
    uvicorn_exit(signum, None)
    server = uvicorn_exit.__self__
    if server.force_exit:  # a second Ctrl-C: uvicorn's own way, at once
        return
    server._captured_signals.clear()


def _install_drain() -> None:
    """Put ``_drain_first`` before uvicorn's signal handlers. uvicorn imports this module
    in each server process after installing its own (``Server.capture_signals``); in any
    other process (the tests, a management command) nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        handler = signal.getsignal(signum)
        if isinstance(getattr(handler, "__self__", None), Server):
            signal.signal(signum, functools.partial(_drain_first, handler))


_install_drain()
