"""Celery tasks of the rooms app: thin, idempotent, acknowledged late."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def skibidify_message(message_id: str) -> None:
    """Rewrite one message with the room's LLM (queue ``skibidi``)."""
    from rooms.services import message_llm_rewrite

    message_llm_rewrite(message_id=message_id)
