"""What the send rules keep in Redis, shared by every process.

Per-user sliding-window rate limits (atomic, in a script), and what slow mode, the
duplicate rule, unique chat and retried nonces remember of recent sends. A batch of
sends (``rooms.actions.messages``) reads all of it for every send in one pipelined round
trip, and writes it back after the commit in another.
"""

import hashlib
import math
import time
import uuid

from django.conf import settings
from redis.client import Pipeline

# KEYS: users' windows (the same key may come twice); ARGV[1]: now (ms), then for each
# key its window (ms), limit and a unique entry. Returns, for each key in order, 0 when
# the send may go ahead (and it is recorded), else the ms until one more may.
_SLIDING_WINDOWS = """
local now = tonumber(ARGV[1])
local waits = {}
for i, key in ipairs(KEYS) do
  local window, limit = tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    waits[i] = math.max(1, tonumber(oldest[2]) + window - now)
  else
    redis.call('ZADD', key, now, ARGV[3 * i + 1])
    redis.call('PEXPIRE', key, window)
    waits[i] = 0
  end
end
return waits
"""

# KEYS: what to remember; ARGV: for each key its value and seconds to keep it.
_REMEMBER = """
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[2 * i - 1], 'EX', ARGV[2 * i])
end
return #KEYS
"""


def rate_limits_queue(pipe: Pipeline, takes: list[tuple[str, int, float]]) -> list[str]:
    """Queue one send against each (key, limit, window in seconds) on ``pipe``, as one
    script run; its result lists, in order, 0 for each send allowed, else the ms until one
    more is. Returns the entries to ``rate_limit_refund`` them by."""
    entries = [uuid.uuid4().hex for _ in takes]
    args: list[object] = [int(time.time() * 1000)]
    for (_, limit, window_seconds), entry in zip(takes, entries, strict=True):
        args += [int(window_seconds * 1000), limit, entry]
    pipe.eval(_SLIDING_WINDOWS, len(takes), *(_rate_key(key) for key, _, _ in takes), *args)
    return entries


def rate_limit_refund(pipe: Pipeline, *, key: str, entry: str) -> None:
    """Give back a send that was counted but not sent (refused by a later rule)."""
    pipe.zrem(_rate_key(key), entry)


def remember_queue(pipe: Pipeline, items: list[tuple[str, object, int]]) -> None:
    """Queue keeping each (key, value, seconds) on ``pipe``, as one script run."""
    args: list[object] = []
    for _, value, seconds in items:
        args += [value, max(1, int(seconds))]
    pipe.eval(_REMEMBER, len(items), *(key for key, _, _ in items), *args)


def _rate_key(key: str) -> str:
    return f"ratelimit:{key}"


def _key(*parts: object) -> str:
    return ":".join([settings.CACHE_KEY_PREFIX, "sent", *map(str, parts)])


def last_sent_key(room_id: int, user_id: int) -> str:
    """When the user last sent in the room and what: "<unix time> <text>"."""
    return _key("last", room_id, user_id)


def unique_key(room_id: int, text: str) -> str:
    """Set while a text (case and spacing folded) was posted in the room recently."""
    folded = " ".join(text.casefold().split())
    return _key("unique", room_id, hashlib.sha256(folded.encode()).hexdigest()[:32])


def nonce_key(room_id: int, user_id: int, nonce: str) -> str:
    """Set while a nonce's message was stored recently: a retry looks it up."""
    return _key("nonce", room_id, user_id, nonce)


def last_sent_encode(text: str, at: float) -> str:
    # To the millisecond, rounded down: a wait computed from it never exceeds its rule's.
    return f"{math.floor(at * 1000) / 1000:.3f} {text}"


def last_sent_decode(raw: bytes | str | None) -> tuple[float, str] | None:
    if raw is None:
        return None
    at, _, text = (raw.decode() if isinstance(raw, bytes) else raw).partition(" ")
    return float(at), text
