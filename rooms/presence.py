"""Who is in a room, across every process: expiring entries in Redis.

Each connection is a member of the room's sorted set, scored by the time it
expires; each process's hub renews all its connections to a room every
``HEARTBEAT`` seconds in one pipeline, so the connections of a killed process
drop out on their own after ``TTL``. Logged-in
connections are also kept, by login, in a second set for the chatter list.
"""

import asyncio
import time
import weakref

import redis.asyncio as aredis
from django.conf import settings

from chatsite import metrics
from chatsite.redis import redis_client
from rooms import events

TTL = 60
HEARTBEAT = 25
DEBOUNCE_MS = 2000
CHATTER_LIST_MAX = 200
POOL_SIZE = 50  # Redis connections per process for presence
POOL_WAIT = 10  # seconds a call waits for a free one

_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aredis.Redis]" = (
    weakref.WeakKeyDictionary()
)


def _client() -> aredis.Redis:
    """One client per event loop (redis.asyncio connections belong to a loop)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        # A bounded pool that makes a burst wait for a connection instead of failing.
        pool = aredis.BlockingConnectionPool.from_url(
            settings.REDIS_URL, max_connections=POOL_SIZE, timeout=POOL_WAIT
        )
        client = aredis.Redis(connection_pool=pool)
        _clients[loop] = client
    return client


def _keys(room_id: int) -> tuple[str, str]:
    prefix = f"{settings.CACHE_KEY_PREFIX}:presence:{room_id}"
    return f"{prefix}:conns", f"{prefix}:chatters"


async def arrive(room_id: int, conn_id: str, login: str | None) -> tuple[int, list[str], int, bool]:
    """Add a connection, read the room's presence and claim the next announcement, in one
    round trip: (viewers, chatter logins, chatter count, whether this caller announces)."""
    conns, chatters = _keys(room_id)
    now = time.time()
    async with _client().pipeline(transaction=False) as pipe:
        pipe.zadd(conns, {conn_id: now + TTL})
        pipe.expire(conns, TTL * 2)
        if login:
            pipe.zadd(chatters, {f"{login} {conn_id}": now + TTL})
            pipe.expire(chatters, TTL * 2)
        pipe.zremrangebyscore(conns, "-inf", now)
        pipe.zremrangebyscore(chatters, "-inf", now)
        pipe.zcard(conns)
        pipe.zrange(chatters, 0, -1)
        pipe.set(f"{conns}:announce", 1, nx=True, px=DEBOUNCE_MS)
        *_, viewers, members, claimed = await pipe.execute()
    logins = sorted({member.decode().split(" ", 1)[0] for member in members})
    return viewers, logins[:CHATTER_LIST_MAX], len(logins), bool(claimed)


async def depart(room_id: int, conn_id: str, login: str | None) -> bool:
    """Take a connection off and claim the next announcement, in one round trip."""
    conns, chatters = _keys(room_id)
    async with _client().pipeline(transaction=False) as pipe:
        pipe.zrem(conns, conn_id)
        if login:
            pipe.zrem(chatters, f"{login} {conn_id}")
        pipe.set(f"{conns}:announce", 1, nx=True, px=DEBOUNCE_MS)
        *_, claimed = await pipe.execute()
    return bool(claimed)


async def renew(room_id: int, members: list[tuple[str, str | None]]) -> None:
    """Renew many connections of one process at once: (connection id, login or None)."""
    conns, chatters = _keys(room_id)
    expires = time.time() + TTL
    async with _client().pipeline(transaction=False) as pipe:
        pipe.zadd(conns, {conn_id: expires for conn_id, _ in members})
        pipe.expire(conns, TTL * 2)
        logged_in = {f"{login} {conn_id}": expires for conn_id, login in members if login}
        if logged_in:
            pipe.zadd(chatters, logged_in)
            pipe.expire(chatters, TTL * 2)
        await pipe.execute()


async def snapshot(room_id: int) -> tuple[int, list[str], int]:
    """(viewers, chatter logins (sorted, capped), chatter count) right now."""
    conns, chatters = _keys(room_id)
    now = time.time()
    async with _client().pipeline(transaction=False) as pipe:
        pipe.zremrangebyscore(conns, "-inf", now)
        pipe.zremrangebyscore(chatters, "-inf", now)
        pipe.zcard(conns)
        pipe.zrange(chatters, 0, -1)
        _, _, viewers, members = await pipe.execute()
    logins = sorted({member.decode().split(" ", 1)[0] for member in members})
    return viewers, logins[:CHATTER_LIST_MAX], len(logins)


def viewer_counts(room_ids: list[int]) -> dict[int, int]:
    """Live viewer count of each room (for the home page; sync, one round trip)."""
    from chatsite.redis import redis_client

    now = time.time()
    with redis_client().pipeline(transaction=False) as pipe:
        for room_id in room_ids:
            pipe.zcount(_keys(room_id)[0], now, "+inf")
        return dict(zip(room_ids, pipe.execute(), strict=True))


_announcements: set[asyncio.Task] = set()


def announce_soon(room_id: int) -> None:
    """One presence broadcast for everyone who joins or leaves in the next moment (the
    caller's connection claimed it: see ``arrive`` and ``depart``)."""
    task = asyncio.get_running_loop().create_task(_announce_later(room_id))
    _announcements.add(task)
    task.add_done_callback(_announcements.discard)


async def _announce_later(room_id: int) -> None:
    await asyncio.sleep(DEBOUNCE_MS / 1000)
    viewers, chatters, chatter_count = await snapshot(room_id)
    frame = events.presence_frame(viewers=viewers, chatters=chatters, chatter_count=chatter_count)
    await events.apublish(room_id, [(events.ALL, frame)])


@metrics.read_at_scrape("twitchy_viewers", "Connections in every room, as presence counts them.")
def _viewers() -> int:
    """Every room's live connections, summed (a scan of the presence keys)."""
    client = redis_client()
    now = time.time()
    pattern = f"{settings.CACHE_KEY_PREFIX}:presence:*:conns"
    keys = list(client.scan_iter(match=pattern, count=1000))
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.zcount(key, now, "+inf")
    return sum(pipe.execute()) if keys else 0
