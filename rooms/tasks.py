"""Celery tasks of the rooms app: thin, idempotent, acknowledged late."""

from celery import shared_task
from celery.signals import worker_process_init


@shared_task(acks_late=True, ignore_result=True)
def skibidify_message(message_id: str) -> None:
    """Rewrite one message with the room's LLM (queue ``skibidi``)."""
    from rooms.services import message_llm_rewrite

    message_llm_rewrite(message_id=message_id)


@worker_process_init.connect
def _warm_up_llm(**kwargs) -> None:
    """Load the embedded model when a worker process starts, not on its first message."""
    from chatsite.celery import consumes
    from rooms.services import llm_warm_up

    if consumes("skibidi"):
        llm_warm_up()
