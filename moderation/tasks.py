"""AutoMod's Celery task (queue ``moderation``): thin, idempotent, acknowledged late.

The send path does not queue a Celery task per message (that alone cost a third of a
send). It appends the message id to a Redis list, and queues one ``automod_drain``
task only if none was queued in the last second (one pipelined round trip). The task
judges the list from its head in batches (one classifier call each) until it is empty.

Nothing is lost: ids leave the list only after they were judged (and AutoMod's
verdict on a message is idempotent), one drainer works at a time (a lock that
expires), and a drainer that finds the list empty releases the lock and the
"queued" mark *before* looking once more, so a message pushed in that instant either
gets seen or queues a task of its own. A drainer that dies mid-batch leaves its ids
at the head of the list; its task is redelivered (acknowledged late) and waits out
the lock.
"""

import logging
import threading

import redis
from celery import shared_task
from celery.signals import worker_process_init, worker_ready, worker_shutting_down
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from kombu.exceptions import KombuError

from chatsite import metrics
from chatsite.celery import consumes
from chatsite.redis import redis_client
from moderation import automod
from moderation.actions.automod import automod_review
from moderation.selectors import messages_awaiting_automod

logger = logging.getLogger(__name__)

BATCH = 32
QUEUED_MS = 1000  # a second queued task only after this long without a drain
LOCK_MS = 30_000  # a drainer renews it after every batch
WAITING_MAX = 100_000  # with no worker at all, the list keeps only the newest ids
SWEEP_EVERY = 15.0  # seconds between two looks for pre-moderated messages left behind
SWEEP_AFTER = 15.0  # seconds a pre-moderated message waits before the sweep queues it again


def _key(name: str) -> str:
    return f"{settings.CACHE_KEY_PREFIX}:automod:{name}"


def automod_enqueue(message_ids: list[str]) -> None:
    """Ask AutoMod to review stored messages (called after the commit)."""
    pipe = redis_client().pipeline(transaction=False)
    pipe.rpush(_key("waiting"), *message_ids)
    pipe.ltrim(_key("waiting"), -WAITING_MAX, -1)
    pipe.set(_key("queued"), 1, nx=True, px=QUEUED_MS)
    if pipe.execute()[2]:
        automod_drain.apply_async(retry=False)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def automod_drain(self) -> int:
    """Judge every waiting message; returns how many were judged by this call."""
    judged = drain()
    if judged is None:  # another drainer holds the lock: look again once it must be done
        wait = redis_client().pttl(_key("lock"))
        raise self.retry(countdown=max(wait, 100) / 1000)
    return judged


def drain() -> int | None:
    """The loop behind the task; None when another drainer is at work."""
    client = redis_client()
    waiting, lock = _key("waiting"), _key("lock")
    if not client.set(lock, 1, nx=True, px=LOCK_MS):
        return None
    judged = 0
    while True:
        ids = [raw.decode() for raw in client.lrange(waiting, 0, BATCH - 1)]
        if ids:
            judged += automod_review(message_ids=ids)
            # Only the lock holder removes from the head; senders append at the tail.
            pipe = client.pipeline(transaction=False)
            pipe.ltrim(waiting, len(ids), -1)
            pipe.pexpire(lock, LOCK_MS)
            pipe.execute()
            continue
        client.delete(_key("queued"), lock)
        if not client.llen(waiting):
            return judged
        if not client.set(lock, 1, nx=True, px=LOCK_MS):
            return judged  # a newer drainer took over


def automod_sweep() -> int:
    """Queue again the messages AutoMod still owes a verdict long after they were sent:
    Redis lost them (a restart) or a drain died with them. Judging is idempotent, so one
    queued twice costs nothing. Returns how many were queued."""
    ids = messages_awaiting_automod(older_than=SWEEP_AFTER)
    if ids:
        logger.warning("%d messages were still waiting for AutoMod: queued again",
                       len(ids))  # fmt: skip
        automod_enqueue(ids)
    return len(ids)


_sweeping = threading.Event()  # set: the sweeper should stop


def _sweep_forever() -> None:
    while not _sweeping.wait(SWEEP_EVERY):
        try:
            automod_sweep()
        except (DatabaseError, OSError, redis.RedisError, KombuError) as error:
            logger.warning("AutoMod's sweep failed (it tries again): %s", error)
        finally:
            close_old_connections()


@worker_ready.connect
def _start_sweeping(sender, **kwargs) -> None:
    """An AutoMod worker's main process looks for left-behind messages every few
    seconds (as many workers as there are, each looks: they only queue ids). Durable
    truth is in PostgreSQL (``messages_awaiting_automod``); the Redis list is the fast way."""
    if consumes("moderation"):
        _sweeping.clear()
        threading.Thread(target=_sweep_forever, name="automod-sweep", daemon=True).start()


@worker_shutting_down.connect
def _stop_sweeping(**kwargs) -> None:
    _sweeping.set()


@metrics.read_at_scrape("twitchy_automod_waiting", "Messages waiting for AutoMod's verdict.")
def _automod_waiting() -> int:
    return redis_client().llen(_key("waiting"))


@worker_process_init.connect
def _warm_up_classifier(**kwargs) -> None:
    """Load the classifier when a worker process starts, not on its first message."""
    if consumes("moderation"):
        automod.warm_up()
