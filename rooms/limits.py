"""What the send rules keep in Redis, shared by every process.

Per-user sliding-window rate limits (atomic, in a script), and what slow mode, the
duplicate rule, unique chat and retried nonces remember of recent sends. A batch of
sends (``rooms.services``) reads all of it for every send in one pipelined round
trip, and writes it back after the commit in another.
"""

import hashlib
import time
import uuid

from django.conf import settings
from redis.client import Pipeline

from chatsite.redis import redis_client

# KEYS[1]: the user's window; ARGV: now (ms), window (ms), limit, a unique member.
# Returns 0 when the send may go ahead (and records it), else ms until it may.
_SLIDING_WINDOW = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 0
"""
_script = None


def _sliding_window():
    global _script
    if _script is None:
        _script = redis_client().register_script(_SLIDING_WINDOW)
    return _script


def rate_limit_queue(pipe: Pipeline, *, key: str, limit: int, window_seconds: float) -> str:
    """Queue one send against ``key`` on ``pipe``; its result is 0 if allowed, else the
    milliseconds until one more is. Returns the entry to ``rate_limit_refund`` it by."""
    entry = uuid.uuid4().hex
    _sliding_window()(
        keys=[_rate_key(key)],
        args=[int(time.time() * 1000), int(window_seconds * 1000), limit, entry],
        client=pipe,
    )
    return entry


def rate_limit_refund(pipe: Pipeline, *, key: str, entry: str) -> None:
    """Give back a send that was counted but not sent (refused by a later rule)."""
    pipe.zrem(_rate_key(key), entry)


def rate_limit_take(*, key: str, limit: int, window_seconds: float) -> float:
    """Count one send against ``key``; 0 if allowed, else seconds until one more is."""
    pipe = redis_client().pipeline(transaction=False)
    rate_limit_queue(pipe, key=key, limit=limit, window_seconds=window_seconds)
    return int(pipe.execute()[0]) / 1000


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
    return f"{at:.3f} {text}"


def last_sent_decode(raw: bytes | str | None) -> tuple[float, str] | None:
    if raw is None:
        return None
    at, _, text = (raw.decode() if isinstance(raw, bytes) else raw).partition(" ")
    return float(at), text
