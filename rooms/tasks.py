"""Celery tasks of the rooms app: thin, idempotent, acknowledged late."""

from celery import shared_task
from celery.signals import worker_process_init


@shared_task(acks_late=True, ignore_result=True)
def skibidify_messages(message_ids: list[str]) -> None:
    """Rewrite the messages of one batch of sends with their rooms' LLM, in order (queue
    ``skibidi``); each one that has waited past ``LLM_MAX_AGE`` is skipped."""
    from rooms.services import message_llm_rewrite

    for message_id in message_ids:
        message_llm_rewrite(message_id=message_id)


@worker_process_init.connect
def _warm_up_llm(**kwargs) -> None:
    """Load the embedded model when a worker process starts, not on its first message."""
    from chatsite.celery import consumes
    from rooms.services import llm_warm_up

    if consumes("skibidi"):
        llm_warm_up()
