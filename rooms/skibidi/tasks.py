"""The LLM rewrites' queue and its Celery task (queue ``skibidi``).

A rewrite matters only while the message is on screen and fresh: one that arrives ten
seconds late rewrites a line people have read. So the queue is not first in, first out:
the send path pushes each stored message onto the head of a Redis list (one pipelined
round trip per batch of sends, and one ``skibidify_drain`` task at most every
``QUEUED_MS``), and every worker process drains it from the head, newest first. A
message that has waited past ``LLM_MAX_AGE`` by the time a worker gets to it is skipped
on purpose (its instant text stays) and counted, as is every other outcome, per room
(``skibidi_stats``: the mod dashboard shows them). Several worker processes drain at
once, each a model of its own; a rewrite is best effort, so one lost with a crashed
worker only leaves the instant text.
"""

import logging
import time

import redis
from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from kombu.exceptions import KombuError

from chatsite import metrics
from chatsite.celery import consumes
from chatsite.redis import redis_client
from rooms.skibidi.rewrite import llm_warm_up, message_llm_rewrite

logger = logging.getLogger(__name__)

QUEUED_MS = 250  # a new drain task at most this often while messages keep coming
WAITING_MAX = 1000  # older entries than these would be skipped anyway
OUTCOMES = ("rewritten", "kept", "skipped", "failed")  # per room, in ``skibidi_stats``
STATS_TTL = 7 * 24 * 3600  # counts of a room nobody chats in fade after a week


def _key(name: str) -> str:
    return f"{settings.CACHE_KEY_PREFIX}:skibidi:{name}"


def stats_key(room_id: int) -> str:
    return _key(f"stats:{room_id}")


def rewrites_schedule(messages: list[tuple[int, str]]) -> None:
    """Queue the LLM rewrites of stored messages, ``(room id, message id)`` in the order
    they were sent (called after the commit). If Redis or the broker is unreachable, the
    instant text simply stands."""
    if settings.LLM_BACKEND == "off" or not messages:
        return
    now = int(time.time() * 1000)
    try:
        pipe = redis_client().pipeline(transaction=False)
        pipe.lpush(_key("waiting"), *(f"{now}:{room}:{message}" for room, message in messages))
        pipe.ltrim(_key("waiting"), 0, WAITING_MAX - 1)
        pipe.set(_key("queued"), 1, nx=True, px=QUEUED_MS)
        if pipe.execute()[2]:
            skibidify_drain.apply_async(retry=False)
    except (OSError, KombuError, redis.RedisError):
        logger.warning("Could not queue the rewrites of %d messages", len(messages), exc_info=True)


@shared_task(ignore_result=True)
def skibidify_drain() -> int:
    """Rewrite waiting messages, newest first, until none is left; returns how many."""
    return drain()


def drain() -> int:
    client = redis_client()
    waiting = _key("waiting")
    done = 0
    while True:
        raw = client.lpop(waiting)
        if raw is None:
            client.delete(_key("queued"))  # the next send queues a task again
            if not client.llen(waiting):  # (one pushed in that instant: still ours)
                return done
            continue
        queued_ms, room_id, message_id = raw.decode().split(":", 2)
        age = time.time() - int(queued_ms) / 1000
        if age > settings.LLM_MAX_AGE:
            outcome = "skipped"  # too late to matter: the instant text stays
            logger.debug("Rewrite of %s skipped: %.0f ms in the queue", message_id, age * 1000)
        else:
            # A second sample only while no newer message waits for this worker.
            busy = client.llen(waiting) > 0
            began = time.monotonic()
            outcome = message_llm_rewrite(message_id=message_id, waited=age, second_try=not busy)
            took = (time.monotonic() - began) * 1000
            if outcome in ("rewritten", "kept"):
                metrics.LLM_SECONDS.observe(took / 1000)
            elif outcome == "failed":
                metrics.LLM_FAILURES.inc()
            logger.debug("Rewrite of %s: %s in %.0f ms, after %.0f ms in the queue",
                         message_id, outcome or "nothing to do", took, age * 1000)  # fmt: skip
        if outcome:
            metrics.REWRITES.labels(outcome).inc()
            pipe = client.pipeline(transaction=False)
            pipe.hincrby(stats_key(int(room_id)), outcome, 1)
            pipe.expire(stats_key(int(room_id)), STATS_TTL)
            pipe.execute()
        done += outcome == "rewritten"


@metrics.read_at_scrape("twitchy_rewrites_waiting", "Messages waiting for an LLM rewrite.")
def _rewrites_waiting() -> int:
    return redis_client().llen(_key("waiting"))


def skibidi_stats(*, room_id: int) -> dict[str, int]:
    """How the room's LLM rewrites went: rewritten, kept (the checks kept the instant
    text), skipped (too late to matter), failed (the backend failed)."""
    counts = redis_client().hgetall(stats_key(room_id))
    return {outcome: int(counts.get(outcome.encode(), 0)) for outcome in OUTCOMES}


@worker_process_init.connect
def _warm_up_llm(**kwargs) -> None:
    """Load the embedded model, and each style's prompt into a context of its own, when a
    worker process starts, not on its first messages."""
    if consumes("skibidi"):
        llm_warm_up()
