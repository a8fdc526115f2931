"""The LLM rewrites' Celery task (queue ``skibidi``): thin, idempotent, acknowledged late."""

import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from kombu.exceptions import KombuError

from chatsite.celery import consumes
from rooms.skibidi.rewrite import llm_warm_up, message_llm_rewrite

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def skibidify_messages(message_ids: list[str]) -> None:
    """Rewrite the messages of one batch of sends with their rooms' LLM, in order; each one
    that has waited past ``LLM_MAX_AGE`` is skipped."""
    for message_id in message_ids:
        message_llm_rewrite(message_id=message_id)


def rewrites_schedule(message_ids: list[str]) -> None:
    """Queue the LLM rewrites of a batch of sends as one task (one broker message per
    batch, not per send); if the broker is unreachable, the instant text simply stands."""
    if settings.LLM_BACKEND == "off" or not message_ids:
        return
    try:
        skibidify_messages.apply_async((message_ids,), expires=settings.LLM_MAX_AGE, retry=False)
    except (OSError, KombuError):
        logger.warning("Could not queue the rewrites of messages %s", message_ids, exc_info=True)


@worker_process_init.connect
def _warm_up_llm(**kwargs) -> None:
    """Load the embedded model when a worker process starts, not on its first message."""

    if consumes("skibidi"):
        llm_warm_up()
