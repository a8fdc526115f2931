"""AutoMod's Celery task (queue ``moderation``): thin, idempotent, acknowledged late.

Every message gets its own task, so a redelivered or lost worker never leaves a
message unreviewed. A task also takes whatever else is waiting in a Redis list
(at most ``AUTOMOD_BATCH``) and judges it all with one classifier call; the
other messages' own tasks then find them judged and do nothing.
"""

from celery import shared_task
from celery.signals import worker_process_init

from chatsite.redis import redis_client

WAITING_KEY = "automod:waiting"
WAITING_MAX = 10_000  # with no worker running, the list keeps only the newest ids


def automod_enqueue(message_id: str) -> None:
    """Ask AutoMod to review a stored message (called after the commit)."""
    pipe = redis_client().pipeline(transaction=False)
    pipe.rpush(WAITING_KEY, message_id)
    pipe.ltrim(WAITING_KEY, -WAITING_MAX, -1)
    pipe.execute()
    automod_check.apply_async((message_id,), retry=False)


@shared_task(acks_late=True, ignore_result=True)
def automod_check(message_id: str) -> int:
    from moderation.services import AUTOMOD_BATCH, automod_review

    others = redis_client().lpop(WAITING_KEY, AUTOMOD_BATCH) or []
    ids = {message_id, *(raw.decode() if isinstance(raw, bytes) else raw for raw in others)}
    return automod_review(message_ids=sorted(ids))


@worker_process_init.connect
def _warm_up_classifier(**kwargs) -> None:
    """Load the classifier when a worker process starts, not on its first message."""
    from chatsite.celery import consumes
    from moderation import automod

    if consumes("moderation"):
        automod.warm_up()
