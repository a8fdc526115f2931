"""The Celery application shared by every worker process."""

import contextlib
import logging
import os
import time

import redis
from celery import Celery, bootsteps
from celery.signals import celeryd_after_setup
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")

logger = logging.getLogger(__name__)

app = Celery("chatsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["rooms.skibidi"])  # the LLM rewrites: in skibidification's home

# The queues this worker consumes, known before its pool processes start (they
# inherit it), so each loads only the model its own queues need.
consumed_queues: set[str] = set()

WORKERS_KEY = "workers:heartbeat"  # hash: worker name -> time of its last heartbeat
HEARTBEAT_EVERY = 5.0  # seconds
HEARTBEAT_MAX_AGE = 30.0  # seconds after which a worker's heartbeat is stale


@celeryd_after_setup.connect
def _remember_queues(sender, instance, **kwargs) -> None:
    consumed_queues.update(instance.app.amqp.queues.consume_from or ())


def consumes(queue: str) -> bool:
    """Whether this worker takes tasks from ``queue`` (True when it cannot tell)."""
    return not consumed_queues or queue in consumed_queues


class Heartbeat(bootsteps.StartStopStep):
    """Every few seconds, the worker writes the time into Redis under its name (its main
    process: a worker whose pool hangs still beats, but one that is gone or cut off from
    Redis does not). ``/readyz`` reads it (chatsite.probes)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs) -> None:
        super().__init__(worker, **kwargs)
        self.timer_ref = None
        self.client = None

    def start(self, worker) -> None:
        self.client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        self.beat(worker)
        self.timer_ref = worker.timer.call_repeatedly(HEARTBEAT_EVERY, self.beat, (worker,))

    def beat(self, worker) -> None:
        try:
            self.client.hset(WORKERS_KEY, worker.hostname, f"{time.time():.3f}")
        except redis.RedisError as error:
            logger.warning("the worker's heartbeat could not be written: %s", error)

    def stop(self, worker) -> None:
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None
        if self.client is not None:
            with contextlib.suppress(redis.RedisError):
                self.client.hdel(WORKERS_KEY, worker.hostname)


app.steps["worker"].add(Heartbeat)
