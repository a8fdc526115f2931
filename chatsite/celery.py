"""The Celery application shared by every worker process."""

import os

from celery import Celery
from celery.signals import celeryd_after_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")

app = Celery("chatsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["rooms.skibidi"])  # the LLM rewrites: in skibidification's home

# The queues this worker consumes, known before its pool processes start (they
# inherit it), so each loads only the model its own queues need.
consumed_queues: set[str] = set()


@celeryd_after_setup.connect
def _remember_queues(sender, instance, **kwargs) -> None:
    consumed_queues.update(instance.app.amqp.queues.consume_from or ())


def consumes(queue: str) -> bool:
    """Whether this worker takes tasks from ``queue`` (True when it cannot tell)."""
    return not consumed_queues or queue in consumed_queues
