"""The protocols uvicorn runs (chatsite/server.py): Nagle's algorithm off on every
connection, even on the listening socket that uvicorn binds for ``--workers N`` (where
asyncio leaves it on); WebSocket frames read ahead of the app, up to a bound."""

import asyncio
import socket

import pytest
import uvicorn
from websockets.asyncio.client import connect

from chatsite.server import HTTPProtocol, WebSocketProtocol


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


async def _eventually(condition) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server never got there")


@pytest.mark.asyncio
async def test_a_socket_reads_ahead_of_a_busy_app_up_to_a_bound_then_waits():
    app_reads = asyncio.Event()

    async def app(scope, receive, send) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await app_reads.wait()  # busy: takes no frame for now
        while (await receive())["type"] == "websocket.receive":
            pass

    config = uvicorn.Config(app, host="127.0.0.1", port=0, http=HTTPProtocol,
                            ws=WebSocketProtocol, lifespan="off", log_level="warning")  # fmt: skip
    listener = config.bind_socket()
    listener.listen()
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        host, port = listener.getsockname()[:2]
        async with connect(f"ws://{host}:{port}/") as client:
            [socket] = [
                c for c in server.server_state.connections if isinstance(c, WebSocketProtocol)
            ]
            for n in range(5):
                await client.send(f"frame {n}")
            await _eventually(lambda: socket.queue.qsize() == 5)
            assert socket.transport.is_reading()  # uvicorn's own would stop after one

            for n in range(5, 30):
                await client.send(f"frame {n}")
            await _eventually(lambda: socket.queue.qsize() >= WebSocketProtocol.READ_AHEAD)
            assert not socket.transport.is_reading()  # past the bound: reading waits
            waiting = socket.queue.qsize()
            for n in range(30, 40):
                await client.send(f"frame {n}")
            await asyncio.sleep(0.2)
            assert socket.queue.qsize() == waiting  # the rest stays with the client

            app_reads.set()  # the app takes them: reading resumes, and all 40 arrive
            await _eventually(lambda: socket.queue.qsize() == 0 and socket.transport.is_reading())
    finally:
        app_reads.set()
        server.should_exit = True
        await serving
        listener.close()
