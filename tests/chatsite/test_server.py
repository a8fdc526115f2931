"""The HTTP protocol uvicorn runs: Nagle's algorithm off on every connection, even on the
listening socket that uvicorn binds for ``--workers N`` (where asyncio leaves it on)."""

import asyncio
import socket

import pytest
import uvicorn

from chatsite.server import HTTPProtocol


async def _hello(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hi"})


async def _server_sockets(http) -> list[int]:
    """Serve on a socket bound as ``uvicorn --workers N`` binds it, open one connection,
    and read TCP_NODELAY on the server's side of it."""
    config = uvicorn.Config(_hello, host="127.0.0.1", port=0, http=http, lifespan="off",
                            log_level="warning")  # fmt: skip
    listener = config.bind_socket()  # what the multiprocess supervisor hands its workers
    listener.listen()  # (serve listens too): a connection now waits in the backlog
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        reader, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        writer.write(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        await reader.readuntil(b"hi")
        flags = [
            protocol.transport.get_extra_info("socket").getsockopt(
                socket.IPPROTO_TCP, socket.TCP_NODELAY
            )
            for protocol in server.server_state.connections
        ]
        writer.close()
        return flags
    finally:
        server.should_exit = True
        await serving
        listener.close()


@pytest.mark.asyncio
async def test_connections_on_a_workers_socket_have_nagle_off():
    assert await _server_sockets(HTTPProtocol) == [1]
