"""Faults for the tests, on the real services: a TCP proxy in front of PostgreSQL or
Redis that can cut every connection and refuse new ones (the service is down, as the
clients see it) and let them through again."""

import asyncio
import threading

from chatsite.ports import free_port


class Proxy:
    """``127.0.0.1:<port>`` forwarding to ``target``; ``cut()`` and ``restore()``."""

    def __init__(self, target_host: str, target_port: int | None = None) -> None:
        """``target_port`` None: ``target_host`` is a Unix socket's path."""
        self.target = (target_host, target_port)
        self.port = free_port()
        self.up = True
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._server = None
        started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self._thread.start()
        started.wait(10)

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._accept, "127.0.0.1", self.port)
        )
        started.set()
        self._loop.run_forever()

    async def _accept(self, reader, writer) -> None:
        if not self.up:
            writer.transport.abort()
            return
        try:
            host, port = self.target
            if port is None:
                upstream_reader, upstream_writer = await asyncio.open_unix_connection(host)
            else:
                upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, upstream_writer))
        await asyncio.gather(
            self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
        )

    async def _pipe(self, reader, writer) -> None:
        try:
            while self.up and (data := await reader.read(65536)):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()

    def cut(self) -> None:
        """Down: every open connection is reset, new ones are refused."""

        def cut() -> None:
            self.up = False
            for writer in list(self._writers):
                writer.transport.abort()

        self._loop.call_soon_threadsafe(cut)

    def restore(self) -> None:
        self._loop.call_soon_threadsafe(setattr, self, "up", True)

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def proxied_url(url: str, proxy_port: int) -> str:
    """``url`` (postgres:// or redis://, or a Redis unix:// socket) through the proxy."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme == "unix":
        db = parts.query.replace("db=", "") or "0"
        return f"redis://127.0.0.1:{proxy_port}/{db}"
    auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{proxy_port}"))


def proxy_for(url: str) -> Proxy:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "unix":
        return Proxy(parts.path)
    default_port = 6379 if parts.scheme == "redis" else 5432
    return Proxy(parts.hostname or "127.0.0.1", parts.port or default_port)
