"""Per-user sliding-window rate limits, atomic in Redis across every process."""

import time
import uuid

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


def rate_limit_take(*, key: str, limit: int, window_seconds: float) -> float:
    """Count one send against ``key``; 0 if allowed, else seconds until one more is."""
    global _script
    client = redis_client()
    if _script is None:
        _script = client.register_script(_SLIDING_WINDOW)
    now_ms = int(time.time() * 1000)
    wait_ms = _script(
        keys=[f"ratelimit:{key}"],
        args=[now_ms, int(window_seconds * 1000), limit, uuid.uuid4().hex],
        client=client,
    )
    return int(wait_ms) / 1000
