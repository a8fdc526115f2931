"""The load generator: many WebSocket viewers for little CPU, and paced senders.

A viewer is a bare asyncio protocol that speaks just enough WebSocket (RFC 6455)
to read a server's frames: no per-frame objects, no JSON parsing. It finds the
bench's message tokens (``bx<n>x``) in each payload with one regex and stamps
them with the time of arrival, so a thousand viewers cost the generator far
less than they cost the server. Only loopback addresses are ever targeted.
"""

import asyncio
import base64
import os
import re
import struct
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TOKEN = re.compile(rb"bx(\d+)x")


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if not (host.startswith("127.") or host == "localhost"):
        raise SystemExit(f"the benchmark only targets this machine, not {host!r}")


def token(n: int) -> str:
    return f"bx{n}x"


@dataclass
class Arrivals:
    """Every (message number, arrival time) that any viewer saw."""

    seen: list[tuple[int, float]] = field(default_factory=list)
    closed: int = 0  # viewers whose connection ended


class Viewer(asyncio.Protocol):
    def __init__(
        self,
        host: str,
        path: str,
        origin: str,
        arrivals: Arrivals,
        cookie: str = "",
        only: bytes = b"",
        irc_channel: str = "",
    ):
        """``only``: stamp the tokens of the frames that contain it (b'"type":"ack"').
        ``irc_channel``: an IRC viewer instead (Twitch's protocol at ``path``), anonymous,
        joined to that channel."""
        headers = f"Origin: {origin}\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "")
        if irc_channel:
            headers = "Sec-WebSocket-Protocol: irc\r\n"
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: "
            f"{base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n"
            + headers
            + "\r\n"
        ).encode()
        self.irc_channel = irc_channel
        self.arrivals = arrivals
        self.buffer = bytearray()
        self.open = False
        self.opened: asyncio.Future = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.frames = 0
        self.only = only

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc) -> None:
        self.arrivals.closed += 1
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"closed before the handshake: {exc}"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.open:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[:end]).split(b"\r\n", 1)[0]
            del self.buffer[: end + 4]
            if b" 101 " not in status + b" ":
                self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                self.transport.close()
                return
            self.open = True
            if self.irc_channel:
                nick = f"justinfan{os.getpid()}{id(self)}"
                self.send_text(f"NICK {nick}\r\nJOIN #{self.irc_channel}\r\n")
            self.opened.set_result(None)
        self._frames()

    def _frames(self) -> None:
        buffer, now = self.buffer, time.perf_counter()
        at = 0
        while len(buffer) - at >= 2:
            opcode, length = buffer[at] & 0x0F, buffer[at + 1] & 0x7F
            start = at + 2
            if length == 126:
                if len(buffer) - at < 4:
                    break
                (length,) = struct.unpack_from("!H", buffer, at + 2)
                start = at + 4
            elif length == 127:
                if len(buffer) - at < 10:
                    break
                (length,) = struct.unpack_from("!Q", buffer, at + 2)
                start = at + 10
            if len(buffer) < start + length:
                break
            payload = bytes(buffer[start : start + length])
            at = start + length
            if opcode in (0x0, 0x1, 0x2):
                self.frames += 1
                if self.only and self.only not in payload:
                    continue
                for match in TOKEN.finditer(payload):
                    self.arrivals.seen.append((int(match.group(1)), now))
            elif opcode == 0x9:  # ping: answer with a (masked) pong
                self._send(0xA, payload)
            elif opcode == 0x8:
                self.transport.close()
        del buffer[:at]

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(header + mask + masked)

    def send_text(self, text: str) -> None:
        self._send(0x1, text.encode())

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def connect_viewer(
    url: str, arrivals: Arrivals, cookie: str = "", only: bytes = b"", irc_channel: str = ""
) -> Viewer:
    parts = urlsplit(url)
    origin = f"http://{parts.netloc}"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    loop = asyncio.get_running_loop()
    _, viewer = await loop.create_connection(
        lambda: Viewer(parts.netloc, path, origin, arrivals, cookie, only, irc_channel),
        parts.hostname,
        parts.port,
    )
    await asyncio.wait_for(viewer.opened, 30)
    return viewer


async def connect_many(
    url: str,
    count: int,
    arrivals: Arrivals,
    *,
    per_second: float = 500,
    cookie: str = "",
    irc_channel: str = "",
) -> tuple[list[Viewer], int]:
    """Open ``count`` viewers at about ``per_second``; (the viewers, how many failed)."""
    tasks = []
    started = time.perf_counter()
    for n in range(count):
        tasks.append(
            asyncio.ensure_future(connect_viewer(url, arrivals, cookie, irc_channel=irc_channel))
        )
        wait = started + (n + 1) / per_second - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    viewers = [r for r in results if isinstance(r, Viewer)]
    return viewers, count - len(viewers)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]
